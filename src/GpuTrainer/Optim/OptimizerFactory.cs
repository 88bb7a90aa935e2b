using GpuTrainer.Compute;

namespace GpuTrainer.Optim;

/// <summary>The optimizer a <see cref="OptimizerKind"/> names, over a model's arenas and one state arena the caller owns.</summary>
public static class OptimizerFactory
{
    /// <summary>How many parameter-sized state arenas <paramref name="kind"/> keeps: SGD 1 with momentum, else 0; Adam and AdamW 2 (m, v).</summary>
    public static int StateArenas(OptimizerKind kind, double momentum) => kind switch
    {
        OptimizerKind.Sgd => momentum > 0 ? 1 : 0,
        OptimizerKind.Adam or OptimizerKind.AdamW => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimizer."),
    };

    /// <summary>
    /// The optimizer over <paramref name="parameters"/> (N) and <paramref name="gradients"/> (N), its state arenas back to back
    /// in <paramref name="state"/> (<see cref="StateArenas"/> x N, zeroed; empty when there are none).
    /// </summary>
    public static IOptimizer Create(OptimizerKind kind, Tensor parameters, Tensor gradients, Tensor state, double momentum, double weightDecay)
    {
        var n = parameters.Length;
        var arenas = StateArenas(kind, momentum);
        if (arenas > 0)
        {
            state.Require((long)arenas * n, nameof(state));
        }

        Tensor Arena(int i) => state.Slice(i * n, n);
        return kind switch
        {
            OptimizerKind.Sgd => new Sgd(parameters, gradients, arenas > 0 ? Arena(0) : default, momentum, weightDecay: weightDecay),
            OptimizerKind.Adam => new Adam(parameters, gradients, Arena(0), Arena(1), weightDecay: weightDecay),
            _ => new Adam(parameters, gradients, Arena(0), Arena(1), weightDecay: weightDecay, decoupled: true),
        };
    }
}
