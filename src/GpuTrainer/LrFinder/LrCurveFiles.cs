using System.Globalization;
using GpuTrainer.Reports;

namespace GpuTrainer.LrFinder;

/// <summary>The range test's curve as CSV (step,lr,loss,smoothed) and as a PNG plot against log lr with the suggestions marked.</summary>
public static class LrCurveFiles
{
    /// <summary>The CSV's header line.</summary>
    public const string CsvHeader = "step,lr,loss,smoothed";

    /// <summary>Writes one row per point, round-trippable doubles in invariant culture.</summary>
    public static void WriteCsv(string path, IReadOnlyList<LrCurvePoint> points)
    {
        var c = CultureInfo.InvariantCulture;
        File.WriteAllLines(path, [CsvHeader, .. points.Select(p => string.Create(c, $"{p.Step},{p.Lr:R},{p.Loss:R},{p.Smoothed:R}"))]);
    }

    /// <summary>Reads what <see cref="WriteCsv"/> wrote.</summary>
    public static IReadOnlyList<LrCurvePoint> ReadCsv(string path)
    {
        var c = CultureInfo.InvariantCulture;
        return [.. File.ReadLines(path).Skip(1).Select(line => line.Split(',')).Select(f =>
            new LrCurvePoint(int.Parse(f[0], c), double.Parse(f[1], c), double.Parse(f[2], c), double.Parse(f[3], c)))];
    }

    /// <summary>
    /// Loss (light) and smoothed loss (dark) against lr on a log axis, the band's candidates as red dots on the smoothed
    /// curve, the band shaded and the other suggestions as dashed markers, each named in the legend beside the plot. The y axis runs from 0 to a
    /// quarter above the highest smoothed loss up to the minimum, so the blow-up at the end does not squash the curve.
    /// </summary>
    public static void WritePlot(string path, string title, IReadOnlyList<LrCurvePoint> points, LrSuggestions? suggestions)
    {
        var plot = new LinePlot
        {
            Title = title,
            XLabel = "learning rate (log scale)",
            YLabel = "Loss/train",
            LogX = true,
        };
        var lrs = points.Select(p => p.Lr).ToList();
        plot.AddSeries("per step", lrs, [.. points.Select(p => p.Loss)], color: 0, faint: true);
        plot.AddSeries("smoothed", lrs, [.. points.Select(p => p.Smoothed)], color: 0);
        var finite = points.Where(p => double.IsFinite(p.Smoothed)).ToList();
        if (finite.Count > 0)
        {
            var lowest = finite.MinBy(p => p.Smoothed)!;
            plot.YRange = (0, 1.25 * finite.TakeWhile(p => p != lowest).Append(lowest).Max(p => p.Smoothed));
        }

        if (suggestions is not null)
        {
            var candidates = suggestions.Candidates;
            plot.AddSpan(suggestions.BandLow, suggestions.BandHigh, string.Create(CultureInfo.InvariantCulture, $"band {suggestions.BandLow:0.00e+00} .. {suggestions.BandHigh:0.00e+00}"));
            plot.AddSeries("candidates", candidates, [.. candidates.Select(lr => finite.MinBy(p => Math.Abs(Math.Log(p.Lr / lr)))!.Smoothed)], color: 3, pointsOnly: true);

            var c = CultureInfo.InvariantCulture;
            plot.AddMarker(suggestions.Steepest, string.Create(c, $"steepest {suggestions.Steepest:0.00e+00}"));
            plot.AddMarker(suggestions.MinimumOverTen, string.Create(c, $"min/10 {suggestions.MinimumOverTen:0.00e+00}"));
            plot.AddMarker(suggestions.Valley, string.Create(c, $"valley {suggestions.Valley:0.00e+00}"));
        }

        plot.Save(path);
    }
}
