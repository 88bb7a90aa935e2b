using GpuTrainer.Compute;
using GpuTrainer.Nn;
using GpuTrainer.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// LeNet-5 against PyTorch 1.13 (scripts/make_golden.py): logits, loss, every gradient and the
/// initialisation bounds; <see cref="GoldenOptimizerTests"/> adds the optimizer runs.
/// Each backend runs the class through a sealed subclass. The largest difference per tensor is printed.
/// Tolerances (atol + rtol*|ref|): float32 with a different summation order than PyTorch's.
/// </summary>
public abstract class GoldenModelTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, (int[] Shape, float[] Data)> Fixture = GoldenFixture.Load(GoldenFixture.LeNetPath);

    protected abstract IBackend Backend { get; }

    protected static float[] T(string name) => Fixture[name].Data;

    protected int Batch => Fixture["labels"].Shape[0];

    protected (Model Model, Tensor Input, Tensor Labels, SoftmaxCrossEntropyLoss Loss) Build()
    {
        var model = LeNet5.Create(Backend, Batch, [0]);
        model.WriteParameters(0, T("params.init"));
        var input = Backend.Allocate(T("input").Length).All;
        Backend.Upload(T("input"), input);
        var labels = Backend.Allocate(Batch).All;
        Backend.Upload(T("labels"), labels);
        return (model, input, labels, new SoftmaxCrossEntropyLoss(Backend, Batch, LeNet5.Classes));
    }

    protected void Check(string name, ReadOnlySpan<float> actual, double atol, double rtol) =>
        GoldenFixture.Check(output, name, T(name), actual, atol, rtol);

    [Fact]
    public void Logits_loss_and_every_gradient_match_pytorch()
    {
        var (model, input, labels, loss) = Build();
        using (model)
        using (loss)
        {
            var logits = model.Forward(input, Batch);
            var host = new float[logits.Length];
            Backend.Download(logits, host);
            Check("logits", host, 1e-5, 1e-4);

            loss.Accumulate(logits, labels, Batch);
            model.Backward(input, loss.DLogits(Batch), Batch);
            Check("loss", [(float)loss.Means(Batch)[0].MeanLoss], 1e-6, 1e-5);

            var grads = new float[model.ParameterCount];
            Backend.Download(model.Gradients.All, grads);
            Check("grads", grads, 1e-6, 1e-3);
        }
    }

    [Fact]
    public void Default_initialisation_follows_pytorch_bounds()
    {
        using var model = LeNet5.Create(Backend, 1, [7]);
        Assert.Equal(LeNet5.ParameterCount, model.ParameterCount);
        var values = model.ReadParameters();
        var offset = 0;
        var numel = T("meta.numel");
        var fanIn = T("meta.fan_in");
        for (var t = 0; t < numel.Length; t++)
        {
            var slice = values.AsSpan(offset, (int)numel[t]);
            var bound = 1 / Math.Sqrt(fanIn[t]);
            Assert.All(slice.ToArray(), v => Assert.InRange(Math.Abs(v), 0, bound));
            // U(-b, b) has standard deviation b/sqrt(3): the spread must fill the interval, not a corner of it.
            var std = Math.Sqrt(slice.ToArray().Average(v => (double)v * v));
            Assert.InRange(std, bound / Math.Sqrt(3) * 0.7, bound / Math.Sqrt(3) * 1.3);
            offset += slice.Length;
        }
    }
}
