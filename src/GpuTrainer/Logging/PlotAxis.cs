using System.Globalization;

namespace GpuTrainer.Logging;

/// <summary>
/// One axis of a <see cref="LinePlot"/>: its range (in log10 units on a log axis), the mapping of a value to
/// a 0..1 position, and tick positions with their labels. Linear ticks are 1, 2 or 5 times a power of ten;
/// log ticks are whole decades (with unlabelled minor ticks at 2..9), or 1-2-5 mantissas when the range
/// spans less than two decades.
/// </summary>
internal sealed class PlotAxis
{
    private const double Padding = 0.03;

    /// <summary>An axis covering the acceptable <paramref name="values"/> (or <paramref name="fixedRange"/>), padded by 3% each side.</summary>
    public PlotAxis(bool log, IEnumerable<double> values, (double Min, double Max)? fixedRange)
    {
        IsLog = log;
        if (fixedRange is var (min, max))
        {
            if (!Accepts(min) || !Accepts(max) || min >= max)
            {
                throw new ArgumentException($"The axis range [{min}, {max}] is not an increasing pair of finite{(log ? ", positive" : "")} numbers.");
            }

            (Low, High) = (ToAxis(min), ToAxis(max));
            return;
        }

        var accepted = values.Where(Accepts).Select(ToAxis).ToArray();
        var (low, high) = accepted.Length == 0 ? (0.0, 1.0) : (accepted.Min(), accepted.Max());
        if (low == high)
        {
            var half = log ? 0.5 : Math.Max(0.5, Math.Abs(low) * 0.1);
            (low, high) = (low - half, high + half);
        }

        var pad = (high - low) * Padding;
        (Low, High) = (low - pad, high + pad);
    }

    /// <summary>Whether values are placed by their base-10 logarithm.</summary>
    public bool IsLog { get; }

    /// <summary>Start of the axis, in axis units (log10 of the value on a log axis).</summary>
    public double Low { get; }

    /// <summary>End of the axis, in axis units.</summary>
    public double High { get; }

    /// <summary>Whether <paramref name="value"/> can be placed: finite, and positive on a log axis.</summary>
    public bool Accepts(double value) => double.IsFinite(value) && (!IsLog || value > 0);

    /// <summary>Position of <paramref name="value"/> along the axis: 0 at <see cref="Low"/>, 1 at <see cref="High"/>.</summary>
    public double Position(double value) => (ToAxis(value) - Low) / (High - Low);

    /// <summary>
    /// Candidate sets of labelled ticks inside the axis, from densest to sparsest; the caller takes the first
    /// whose labels fit. Every set has at least one tick when the axis holds a tick-worthy value.
    /// </summary>
    public IEnumerable<IReadOnlyList<(double Value, string Label)>> TickCandidates()
    {
        var sets = IsLog ? LogTickSets() : LinearTickSets(Low, High);
        return sets.Select(values => (IReadOnlyList<(double, string)>)[.. values.Select(v => (v, IsLog ? LogLabel(v) : LinearLabel(v, values)))]);
    }

    /// <summary>Unlabelled ticks at 2..9 times each decade when <paramref name="major"/> are consecutive decades of a log axis; empty otherwise.</summary>
    public IReadOnlyList<double> MinorTicks(IReadOnlyList<(double Value, string Label)> major)
    {
        if (!IsLog || major.Count < 2 || Math.Abs(Math.Log10(major[1].Value / major[0].Value) - 1) > 1e-9)
        {
            return [];
        }

        var minor = new List<double>();
        for (var decade = (int)Math.Floor(Low); decade <= High; decade++)
        {
            for (var mantissa = 2; mantissa <= 9; mantissa++)
            {
                var value = mantissa * Math.Pow(10, decade);
                if (InRange(value))
                {
                    minor.Add(value);
                }
            }
        }

        return minor;
    }

    private double ToAxis(double value) => IsLog ? Math.Log10(value) : value;

    private bool InRange(double value)
    {
        var t = Position(value);
        return t >= -1e-9 && t <= 1 + 1e-9;
    }

    /// <summary>Whole decades (every one, every second, ...) when the axis spans two or more; else mantissas 1..9, 1-2-3-5, 1-2-5 and 1, then linear steps.</summary>
    private IEnumerable<List<double>> LogTickSets()
    {
        var first = (int)Math.Ceiling(Low - 1e-9);
        var last = (int)Math.Floor(High + 1e-9);
        if (last > first)
        {
            for (var stride = 1; stride <= last - first; stride++)
            {
                var decades = new List<double>();
                for (var decade = first; decade <= last; decade += stride)
                {
                    decades.Add(Math.Pow(10, decade));
                }

                yield return decades;
            }

            yield break;
        }

        foreach (int[] mantissas in (int[][])[[1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 5], [1, 2, 5], [1]])
        {
            var ticks = new List<double>();
            for (var decade = (int)Math.Floor(Low); decade <= High; decade++)
            {
                ticks.AddRange(mantissas.Select(m => m * Math.Pow(10, decade)).Where(InRange));
            }

            if (ticks.Count >= 2)
            {
                yield return ticks;
            }
        }

        foreach (var ticks in LinearTickSets(Math.Pow(10, Low), Math.Pow(10, High)))
        {
            yield return [.. ticks.Where(v => v > 0)];
        }
    }

    /// <summary>Multiples of ever larger 1-2-5 steps, from about 20 ticks down to one or two.</summary>
    private static IEnumerable<List<double>> LinearTickSets(double low, double high)
    {
        var step = NiceStep((high - low) / 20);
        while (true)
        {
            var ticks = new List<double>();
            for (var k = Math.Ceiling(low / step); k * step <= high + (step * 1e-9); k++)
            {
                var value = k * step;
                ticks.Add(Math.Abs(value) < step * 1e-9 ? 0 : value);
            }

            yield return ticks;
            if (ticks.Count <= 2)
            {
                yield break;
            }

            step = NiceStep(step * 1.5);
        }
    }

    /// <summary>The smallest of 1, 2, 5 times a power of ten that is at least <paramref name="raw"/>.</summary>
    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalised = raw / magnitude;
        var nice = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static string LinearLabel(double value, List<double> ticks)
    {
        var step = ticks.Count > 1 ? ticks[1] - ticks[0] : Math.Max(Math.Abs(value), 1);
        var largest = ticks.Max(Math.Abs);
        if (step < 1e-3 || largest >= 1e6)
        {
            return Scientific(value);
        }

        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string LogLabel(double value) =>
        value is >= 1e-3 and < 1e4 ? value.ToString("0.###", CultureInfo.InvariantCulture) : Scientific(value);

    private static string Scientific(double value) =>
        value == 0 ? "0" : value.ToString("0.##e0", CultureInfo.InvariantCulture);
}
