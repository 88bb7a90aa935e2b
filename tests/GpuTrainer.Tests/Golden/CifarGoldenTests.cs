using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Nn;
using GpuTrainer.Optim;
using GpuTrainer.Tests.Compute;
using GpuTrainer.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// The cifar-cnn preset against PyTorch 1.13 (scripts/make_golden.py --model cifar-cnn): logits, loss, every gradient
/// and the parameters after four Adam steps, on 3 images of 3x16x16 (the preset's layers; 16x16 keeps the fixture small,
/// see the script). Tolerances as <see cref="GoldenModelTests"/>'; the largest difference per tensor is printed.
/// </summary>
public abstract class CifarGoldenTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, (int[] Shape, float[] Data)> Fixture =
        GoldenFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cifar_cnn_golden.bin"));

    protected abstract IBackend Backend { get; }

    private static float[] T(string name) => Fixture[name].Data;

    private void Check(string name, ReadOnlySpan<float> actual, double atol, double rtol) =>
        GoldenFixture.Check(output, name, T(name), actual, atol, rtol);

    [Fact]
    public void Logits_loss_gradients_and_four_adam_steps_match_pytorch()
    {
        var shape = Fixture["input"].Shape;
        var (batch, input) = (shape[0], new SampleShape(shape[1], shape[2], shape[3]));
        using var model = ModelDescription.Resolve("cifar-cnn").Create(Backend, input, 10, batch, [0]);
        Assert.Equal(T("params.init").Length, model.ParameterCount);
        model.WriteParameters(0, T("params.init"));
        using var images = Backend.Allocate(T("input").Length);
        Backend.Upload(T("input"), images.All);
        using var labels = Backend.Allocate(batch);
        Backend.Upload(T("labels"), labels.All);
        using var loss = new SoftmaxCrossEntropyLoss(Backend, batch, 10);
        using var optimizer = new Optimizer(model.Arena(model.Parameters), model.Arena(model.Gradients), [new OptimizerSettings(OptimizerKind.Adam)]);

        var losses = new float[T("adam.losses").Length];
        for (var step = 0; step < losses.Length; step++)
        {
            var logits = model.Forward(images.All, batch);
            if (step == 0)
            {
                var host = new float[logits.Length];
                Backend.Download(logits, host);
                Check("logits", host, 1e-5, 1e-4);
            }

            loss.Reset();
            loss.Accumulate(logits, labels.All, batch);
            model.Backward(images.All, loss.DLogits(batch), batch);
            if (step == 0)
            {
                var grads = new float[model.ParameterCount];
                Backend.Download(model.Gradients.All, grads);
                Check("grads", grads, 1e-6, 1e-3);
            }

            optimizer.Step(1e-3);
            losses[step] = (float)loss.Means(batch)[0].MeanLoss;
        }

        Check("loss", losses.AsSpan(0, 1), 1e-6, 1e-5);
        Check("adam.losses", losses, 1e-5, 1e-4);
        Check("adam.params", model.ReadParameters(), 2e-2 * 1e-3, 1e-4);
    }
}

/// <summary>The cifar-cnn golden test on the managed CPU backend.</summary>
public sealed class CpuCifarGoldenTests(ITestOutputHelper output) : CifarGoldenTests(output)
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);
}

/// <summary>The cifar-cnn golden test through our ILGPU kernels on the CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuCifarGoldenTests(IlgpuCpuFixture fixture, ITestOutputHelper output) : CifarGoldenTests(output)
{
    protected override IBackend Backend => fixture.Backend;
}
