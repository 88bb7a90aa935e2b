using System.Globalization;
using GpuTrainer.Logging;

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

    /// <summary>
    /// Loss (light) and smoothed loss (dark) against lr on a log axis, the band's candidates as red dots on the smoothed
    /// curve and the other suggestions as labelled markers. The axis labels say what is what instead of a legend, which
    /// would cover the markers' labels. The y axis runs from 0 to a quarter above the highest smoothed loss up to the
    /// minimum, so the blow-up at the end does not squash the curve.
    /// </summary>
    public static void WritePlot(string path, string title, IReadOnlyList<LrCurvePoint> points, LrSuggestions? suggestions)
    {
        var plot = new LinePlot
        {
            Title = title,
            XLabel = suggestions is null ? "learning rate (log scale)" : "learning rate (log scale); red dots: candidate rates",
            YLabel = "loss (light: per step, dark: smoothed)",
            LogX = true,
        };
        var lrs = points.Select(p => p.Lr).ToList();
        plot.AddSeries("", lrs, [.. points.Select(p => p.Loss)], new Rgb(170, 200, 230));
        plot.AddSeries("", lrs, [.. points.Select(p => p.Smoothed)], LinePlot.SeriesColor(0));
        var finite = points.Where(p => double.IsFinite(p.Smoothed)).ToList();
        if (finite.Count > 0)
        {
            var lowest = finite.MinBy(p => p.Smoothed)!;
            plot.YRange = (0, 1.25 * finite.TakeWhile(p => p != lowest).Append(lowest).Max(p => p.Smoothed));
        }

        if (suggestions is not null)
        {
            foreach (var lr in suggestions.Candidates)
            {
                // One single-point series per candidate: a dot with no line joining it to the next.
                plot.AddSeries("", [lr], [finite.MinBy(p => Math.Abs(Math.Log(p.Lr / lr)))!.Smoothed], LinePlot.SeriesColor(3));
            }

            var c = CultureInfo.InvariantCulture;
            plot.AddMarker(suggestions.Steepest, string.Create(c, $"steepest {suggestions.Steepest:0.00e+00}"));
            plot.AddMarker(suggestions.MinimumOverTen, string.Create(c, $"min/10 {suggestions.MinimumOverTen:0.00e+00}"));
            plot.AddMarker(suggestions.Valley, string.Create(c, $"valley {suggestions.Valley:0.00e+00}"));
        }

        plot.Save(path);
    }
}
