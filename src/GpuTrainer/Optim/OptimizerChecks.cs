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
}
