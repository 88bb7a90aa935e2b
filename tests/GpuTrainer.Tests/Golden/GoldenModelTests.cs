using GpuTrainer.Compute;
using GpuTrainer.Nn;
using GpuTrainer.Optim;
using GpuTrainer.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// LeNet-5 against PyTorch 1.13 (scripts/make_golden.py): logits, loss, every gradient, and the
/// parameters after four steps of SGD+momentum, SGD+Nesterov, Adam and AdamW on the same batch.
/// Each backend runs the class through a sealed subclass. The largest difference per tensor is printed.
/// Tolerances (atol + rtol*|ref|): float32 with a different summation order than PyTorch's.
/// </summary>
public abstract class GoldenModelTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, (int[] Shape, float[] Data)> Fixture = GoldenFixture.Load(GoldenFixture.LeNetPath);

    protected abstract IBackend Backend { get; }

    private static float[] T(string name) => Fixture[name].Data;

    private int Batch => Fixture["labels"].Shape[0];

    private (Sequential Model, Tensor Input, Tensor Labels, SoftmaxCrossEntropyLoss Loss) Build()
    {
        var model = LeNet5.Create(Backend, Batch, seed: 0);
        model.WriteParameters(T("params.init"));
        var input = Backend.Allocate(T("input").Length).All;
        Backend.Upload(T("input"), input);
        var labels = Backend.Allocate(Batch).All;
        Backend.Upload(T("labels"), labels);
        return (model, input, labels, new SoftmaxCrossEntropyLoss(Backend, Batch, LeNet5.Classes));
    }

    private void Check(string name, ReadOnlySpan<float> actual, double atol, double rtol)
    {
        var expected = TestData.ToDouble(T(name));
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        output.WriteLine($"{name,-20} max |diff| {worst:E2} over {expected.Length} values");
        TestData.AssertClose(expected, actual, atol, rtol, name);
    }

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
            Check("loss", [(float)loss.ReadAndReset().MeanLoss], 1e-6, 1e-5);

            var grads = new float[model.ParameterCount];
            Backend.Download(model.Gradients.All, grads);
            Check("grads", grads, 1e-6, 1e-3);
        }
    }

    public static TheoryData<string> Runs => new() { "sgd", "sgd_nesterov", "adam", "adamw" };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Four_optimizer_steps_match_pytorch(string run)
    {
        var (model, input, labels, loss) = Build();
        using IOptimizer optimizer = run switch
        {
            "sgd" => new Sgd(model, momentum: 0.9, weightDecay: 5e-4),
            "sgd_nesterov" => new Sgd(model, momentum: 0.9, nesterov: true),
            "adam" => new Adam(model),
            _ => new Adam(model, weightDecay: 1e-2, decoupled: true),
        };
        var lr = run.StartsWith("sgd", StringComparison.Ordinal) ? 0.05 : 1e-3;
        using (model)
        using (loss)
        {
            var losses = new float[T(run + ".losses").Length];
            for (var step = 0; step < losses.Length; step++)
            {
                loss.Accumulate(model.Forward(input, Batch), labels, Batch);
                model.Backward(input, loss.DLogits(Batch), Batch);
                optimizer.Step(lr);
                losses[step] = (float)loss.ReadAndReset().MeanLoss;
            }

            Check(run + ".losses", losses, 1e-5, 1e-4);
            // Adam divides by sqrt(v): for a parameter whose gradient is almost zero, rounding noise moves it by up
            // to a fraction of lr, so parameters get an absolute tolerance of 1e-2 * lr (1e-5).
            Check(run + ".params", model.ReadParameters(), 1e-5, 1e-4);
        }
    }

    [Fact]
    public void Default_initialisation_follows_pytorch_bounds()
    {
        using var model = LeNet5.Create(Backend, 1, seed: 7);
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
