using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GpuTrainer.Logging;

namespace GpuTrainer.Reports;

/// <summary>
/// report.html: one self-contained page that opens from disk and makes no network request (its content security
/// policy allows nothing but its own inline script and style). It holds uPlot's script and style sheet (npm, embedded by
/// the build), the page's own small script and style (report/page.js, report/page.css: data in, uPlot calls out) and
/// the <see cref="ReportModel"/> as JSON; the script draws every chart and table from that. Written atomically, so a
/// page watched while a study runs is always whole.
/// </summary>
public static class ReportPage
{
    /// <summary>The page's file name in a study or run folder.</summary>
    public const string FileName = "report.html";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The product's version and, when the build knew it, the commit: "0.1.0 (commit 7c52248e5253)".</summary>
    public static string Version
    {
        get
        {
            var text = typeof(ReportPage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            var plus = text.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? text : $"{text[..plus]} (commit {text[(plus + 1)..Math.Min(text.Length, plus + 13)]})";
        }
    }

    /// <summary>Writes the page for <paramref name="model"/> to <paramref name="path"/>, replacing any earlier one atomically.</summary>
    public static void Write(string path, ReportModel model)
    {
        var html = Render(model);
        using var file = new StagedFile(path, overwrite: true, shared: true);   // cluster workers refresh a study's page at once
        file.Stream.Write(Encoding.UTF8.GetBytes(html));
        file.Commit();
    }

    /// <summary>The page's HTML.</summary>
    public static string Render(ReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);

        // The default encoder escapes <, > and &, so the JSON cannot end its script element.
        var data = JsonSerializer.Serialize(model, Json);
        return new StringBuilder()
            .Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(System.Net.WebUtility.HtmlEncode(model.Title)).Append("</title>\n")
            .Append("<style>").Append(EmbeddedAssets.Text("GpuTrainer.Reports.uPlot.css")).Append("</style>\n")
            .Append("<style>").Append(EmbeddedAssets.Text("GpuTrainer.Reports.page.css")).Append("</style>\n")
            .Append("</head>\n<body>\n<main id=\"report\"><noscript>This report draws its charts with JavaScript; report.md holds the same figures as text.</noscript></main>\n")
            .Append("<script id=\"report-data\" type=\"application/json\">").Append(data).Append("</script>\n")
            .Append("<script>").Append(EmbeddedAssets.Text("GpuTrainer.Reports.uPlot.js")).Append("</script>\n")
            .Append("<script>").Append(EmbeddedAssets.Text("GpuTrainer.Reports.page.js")).Append("</script>\n")
            .Append("</body>\n</html>\n")
            .ToString();
    }

    /// <summary>Values as single precision (plenty for a chart, half the bytes), non-finite ones as null (a gap).</summary>
    public static float?[] Series(IEnumerable<double> values) => [.. values.Select(v => double.IsFinite(v) ? (float?)v : null)];
}

/// <summary>What a report page shows; every list may be empty.</summary>
/// <param name="Title">The page's heading.</param>
/// <param name="Status">One line: how complete the study is ("16 of 16 runs finished").</param>
/// <param name="Markdown">The text version beside the page (report.md), or null.</param>
/// <param name="Provenance">Name and value rows: version, device, data, seed, recipe, start and end.</param>
/// <param name="RangeTests">The LR range tests, one per optimizer.</param>
/// <param name="Runs">Every run or cell, finished or not.</param>
/// <param name="Reference">The reference study beside ours, or null.</param>
public sealed record ReportModel(
    string Title, string Status, string? Markdown, IReadOnlyList<IReadOnlyList<string>> Provenance,
    IReadOnlyList<RangeTestModel> RangeTests, IReadOnlyList<RunModel> Runs, ReferenceModel? Reference)
{
    /// <summary>The colours <see cref="RunModel.Color"/> indexes: the PNG plots' palette, so a rate has one colour everywhere.</summary>
    public IReadOnlyList<string> Palette { get; } = [.. Enumerable.Range(0, 10).Select(LinePlot.ColorHex)];
}

/// <summary>One LR range test: loss and smoothed loss per step against lr, and what was read off it.</summary>
public sealed record RangeTestModel(
    string Optimizer, float?[] Lr, float?[] Loss, float?[] Smoothed, string Link,
    double? Steepest, double? MinimumOverTen, double? Valley, double? BandLow, double? BandHigh, IReadOnlyList<double> Candidates, string? Error);

/// <summary>
/// One run: its place in the grid, status (ok, diverged, missing, running), figures and curves: per epoch (x from 1) and
/// Loss/train per step (x in epochs). <paramref name="Color"/> is the palette index (one per candidate rate).
/// </summary>
public sealed record RunModel(
    string Name, string Optimizer, string Schedule, int Candidate, double Lr, string Status, string? Note, string Link, int Color,
    double? BestAccuracy, int? BestEpoch, double? FinalAccuracy, double? FinalTrainLoss, double? FinalTestLoss, double? Seconds,
    float?[] Epoch, float?[] TestAccuracy, float?[] TestLoss, float?[] TrainLoss, float?[] LearningRate, float?[] StepEpoch, float?[] StepLoss);

/// <summary>The reference study's candidates, picks and accuracy beside ours.</summary>
public sealed record ReferenceModel(string Note, IReadOnlyList<ReferenceRow> Rows, double? OurBest, double ReferenceBest);

/// <summary>One optimizer x schedule of <see cref="ReferenceModel"/>.</summary>
public sealed record ReferenceRow(
    string Optimizer, string Schedule, IReadOnlyList<double> OurCandidates, IReadOnlyList<double> ReferenceCandidates, double? OurPick, double? OurBest, double? ReferencePick);
