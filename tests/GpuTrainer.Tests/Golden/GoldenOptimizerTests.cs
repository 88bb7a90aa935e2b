using GpuTrainer.Optim;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// The parameters after four steps of SGD+momentum, SGD+Nesterov, Adam and AdamW on the fixture's batch,
/// against PyTorch. Sixteen forward/backward passes: run on the managed backend, not on ILGPU's slow CPU
/// accelerator, whose fused optimizer kernels the op suite and whose model path <see cref="GoldenModelTests"/>
/// already check.
/// </summary>
public abstract class GoldenOptimizerTests(ITestOutputHelper output) : GoldenModelTests(output)
{
    public static TheoryData<string> Runs => new() { "sgd", "sgd_nesterov", "adam", "adamw" };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Four_optimizer_steps_match_pytorch(string run)
    {
        var (model, input, labels, loss) = Build();
        var (p, g, n) = (model.Parameters.All, model.Gradients.All, model.ParameterCount);
        using var state = model.Backend.Allocate(2 * n);
        IOptimizer optimizer = run switch
        {
            "sgd" => new Sgd(p, g, state.Slice(0, n), momentum: 0.9, weightDecay: 5e-4),
            "sgd_nesterov" => new Sgd(p, g, state.Slice(0, n), momentum: 0.9, nesterov: true),
            "adam" => new Adam(p, g, state.Slice(0, n), state.Slice(n, n)),
            _ => new Adam(p, g, state.Slice(0, n), state.Slice(n, n), weightDecay: 1e-2, decoupled: true),
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
}
