using GpuTrainer.Compute;

namespace GpuTrainer.Optim;

internal static class OptimizerChecks
{
    /// <summary>Throws unless lo &lt;= value &lt; hi (or &lt;= hi), naming the hyperparameter.</summary>
    public static void InRange(double value, double lo, double hi, string name, bool upperInclusive)
    {
        var ok = value >= lo && (upperInclusive ? value <= hi : value < hi);
        if (!ok)
        {
            var range = upperInclusive ? $"[{lo}, {hi}]" : $"[{lo}, {hi})";
            throw new ArgumentException($"The {name} must be in {range}, got {value}.");
        }
    }

    /// <summary>Throws unless the gradient and every state arena is as long as the parameter arena and lives on its backend.</summary>
    public static void Arenas(Tensor parameters, Tensor gradients, Tensor[] state)
    {
        parameters.Require(1, nameof(parameters));
        var owner = parameters.Buffer.Owner;
        foreach (var (arena, name) in state.Select((t, i) => (t, $"state arena {i}")).Prepend((gradients, nameof(gradients))))
        {
            if (arena.IsEmpty || arena.Length != parameters.Length || !ReferenceEquals(arena.Buffer.Owner, owner))
            {
                throw new ArgumentException(
                    $"The optimizer's {name} has {arena.Length} elements on '{arena.Buffer?.Owner.Name ?? "no backend"}', but the parameters have {parameters.Length} on '{owner.Name}'.");
            }
        }
    }
}
