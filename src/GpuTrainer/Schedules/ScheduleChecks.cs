namespace GpuTrainer.Schedules;

/// <summary>
/// Parameter validation shared by the schedules. Every failure is an <see cref="ArgumentException"/> whose
/// message names the parameter, the allowed range and the value given, e.g. "gamma must be in (0, 1], got 1.5.".
/// </summary>
internal static class ScheduleChecks
{
    /// <summary>Requires <paramref name="value"/> in the interval from lo to hi, each end open or closed.</summary>
    public static void InRange(double value, string name, double lo, double hi, bool loOpen = false, bool hiOpen = false)
    {
        var inside = (loOpen ? value > lo : value >= lo) && (hiOpen ? value < hi : value <= hi);
        if (!inside)
        {
            var range = $"{(loOpen ? "(" : "[")}{Format(lo)}, {Format(hi)}{(hiOpen ? ")" : "]")}";
            throw new ArgumentException($"{name} must be in {range}, got {value}.");
        }
    }

    /// <summary>Requires a finite positive value: (0, inf).</summary>
    public static void Positive(double value, string name) => InRange(value, name, 0, double.PositiveInfinity, loOpen: true, hiOpen: true);

    /// <summary>Requires <paramref name="value"/> &gt;= <paramref name="min"/>.</summary>
    public static void AtLeast(long value, string name, long min)
    {
        if (value < min)
        {
            throw new ArgumentException($"{name} must be at least {min}, got {value}.");
        }
    }

    /// <summary>Requires a non-negative step; every <see cref="ILrSchedule.LearningRate"/> starts with this.</summary>
    public static void Step(long step) => AtLeast(step, nameof(step), 0);

    private static string Format(double bound) => double.IsPositiveInfinity(bound) ? "inf" : bound.ToString();
}
