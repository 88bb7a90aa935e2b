using System.Globalization;
using System.Text;
using GpuTrainer.Logging;
using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The study's report in its folder: report.md (range-test suggestions, the ranked table of every run, the best
/// configuration per optimizer and overall) and per optimizer one PNG per metric (Accuracy/test, Loss/train, Loss/test,
/// LR/train against epoch) with a series per run. Rewritten on every invocation, so a resumed study's report is whole.
/// </summary>
public static class StudyReport
{
    /// <summary>The report's file name.</summary>
    public const string ReportFile = "report.md";

    private static readonly (string Tag, string File, string YLabel, bool LogY, Func<EpochResult, double> Value)[] Metrics =
    [
        (MetricTags.AccuracyTest, "accuracy-test", MetricTags.AccuracyTest, false, r => r.TestAccuracy),
        (MetricTags.LossTrain, "loss-train", $"{MetricTags.LossTrain} (epoch mean)", true, r => r.TrainLoss),
        (MetricTags.LossTest, "loss-test", MetricTags.LossTest, true, r => r.TestLoss),
        (MetricTags.LrTrain, "lr-train", $"{MetricTags.LrTrain} (last of epoch)", true, r => r.LearningRate),
    ];

    /// <summary>
    /// Best first: finished runs by best test accuracy, then final accuracy, then final test loss (lower first);
    /// diverged runs last, in grid order.
    /// </summary>
    public static IReadOnlyList<StudyRun> Rank(IEnumerable<StudyRun> runs) =>
        [.. runs.OrderBy(r => r.Status)
            .ThenByDescending(r => r.Summary?.BestAccuracy ?? 0)
            .ThenByDescending(r => r.Summary?.FinalAccuracy ?? 0)
            .ThenBy(r => r.Summary?.FinalTestLoss ?? 0)];

    /// <summary>Writes report.md and the plots into <paramref name="folder"/> and returns the report's path.</summary>
    /// <param name="unfinished">One line per cell with no result yet (missing or failed, and why); listed after the table.</param>
    public static string Write(
        string folder, StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> ranked, IReadOnlyList<string>? unfinished = null)
    {
        var plots = new List<string>();
        foreach (var optimizer in request.Optimizers.Select(OptionNames.Of))
        {
            var finished = ranked.Where(r => r.Optimizer == optimizer && r.Summary is not null).OrderBy(r => r.Schedule, StringComparer.Ordinal).ThenBy(r => r.Lr).ToList();
            foreach (var (tag, stem, yLabel, logY, value) in Metrics)
            {
                var name = $"{stem}-{optimizer}.png";
                Plot(finished, $"{tag}: LeNet-5, {optimizer}", yLabel, logY, value).Save(Path.Combine(folder, name), overwrite: true);
                plots.Add(name);
            }
        }

        var path = Path.Combine(folder, ReportFile);
        using var file = new StagedFile(path, overwrite: true);
        using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
        {
            writer.Write(Markdown(request, rangeTests, ranked, unfinished ?? [], plots));
        }

        file.Commit();
        return path;
    }

    private static LinePlot Plot(IReadOnlyList<StudyRun> runs, string title, string yLabel, bool logY, Func<EpochResult, double> value)
    {
        var plot = new LinePlot { Title = title, XLabel = "epoch", YLabel = yLabel, LogY = logY };
        foreach (var run in runs)
        {
            var history = run.Summary!.History;
            plot.AddSeries(Label(run), [.. history.Select(r => (double)r.Epoch)], [.. history.Select(value)]);
        }

        return plot;
    }

    private static string Label(StudyRun run) => string.Create(CultureInfo.InvariantCulture, $"{run.Schedule} lr {run.Lr:0.00e+00}");

    private static string Markdown(
        StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> ranked, IReadOnlyList<string> unfinished, IReadOnlyList<string> plots)
    {
        var c = CultureInfo.InvariantCulture;
        var t = request;
        var md = new StringBuilder();
        md.AppendLine("# Learning-rate study: LeNet-5").AppendLine();
        md.Append(string.Create(c,
            $"{ranked.Count} runs: optimizers {string.Join(", ", request.Optimizers.Select(OptionNames.Of))} x schedules " +
            $"{string.Join(", ", request.Schedules.Select(s => s.Label))} x {request.Sweep.Candidates} candidate rates; " +
            $"{t.Epochs} epochs, batch {t.Batch}, seed {t.Seed}"));
        md.Append(t.Momentum != 0 ? string.Create(c, $", SGD momentum {t.Momentum}") : "");
        md.AppendLine(t.WeightDecay != 0 ? string.Create(c, $", weight decay {t.WeightDecay}.") : ".");
        md.AppendLine();

        md.AppendLine("## Best configurations").AppendLine();
        var best = ranked.FirstOrDefault(r => r.Status == StudyRunStatus.Ok);
        md.AppendLine(best is null ? "- Overall: none; every run diverged." : $"- **Overall: {Describe(best)}**");
        foreach (var optimizer in ranked.Select(r => r.Optimizer).Distinct())
        {
            var top = ranked.FirstOrDefault(r => r.Optimizer == optimizer && r.Status == StudyRunStatus.Ok);
            md.AppendLine(top is null ? $"- {optimizer}: every run diverged." : $"- {optimizer}: {Describe(top)}");
        }

        md.AppendLine().AppendLine("## Range tests").AppendLine();
        md.AppendLine("| optimizer | stop | steepest | min/10 | valley | band | candidates | plot |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in rangeTests)
        {
            var g = r.Suggestions!;
            var folder = Path.GetFileName(r.OutputDirectory);
            md.AppendLine(string.Create(c,
                $"| {r.Optimizer} | {r.StopReason.ToString().ToLowerInvariant()} after {r.StepsRun} steps | {g.Steepest:0.00e+00} | {g.MinimumOverTen:0.00e+00} | " +
                $"{g.Valley:0.00e+00} | {g.BandLow:0.00e+00} .. {g.BandHigh:0.00e+00} | {string.Join(", ", g.Candidates.Select(x => x.ToString("0.00e+00", c)))} | " +
                $"[{LrFindRun.PlotFile}]({folder}/{LrFindRun.PlotFile}) |"));
        }

        md.AppendLine().AppendLine("## All runs, best first").AppendLine();
        md.AppendLine("| rank | optimizer | schedule | lr | best test acc (epoch) | final test acc | final train loss | final test loss | time (s) | status | run |");
        md.AppendLine("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        for (var i = 0; i < ranked.Count; i++)
        {
            var r = ranked[i];
            var s = r.Summary;
            var status = r.Status == StudyRunStatus.Ok ? "ok" : "diverged";
            var metrics = s is null
                ? "- | - | - | - | -"
                : string.Create(c, $"{s.BestAccuracy * 100:F2}% ({s.BestEpoch}) | {s.FinalAccuracy * 100:F2}% | {s.FinalTrainLoss:F4} | {s.FinalTestLoss:F4} | {s.Seconds:F1}");
            md.AppendLine(string.Create(c, $"| {i + 1} | {r.Optimizer} | {r.Schedule} | {r.Lr:0.00e+00} | {metrics} | {status} | [{r.Name}]({r.Name}/) |"));
        }

        var diverged = ranked.Where(r => r.Error is not null).ToList();
        if (diverged.Count > 0)
        {
            md.AppendLine().AppendLine("Diverged runs:").AppendLine();
            diverged.ForEach(r => md.AppendLine($"- {r.Name}: {r.Error}"));
        }

        if (unfinished.Count > 0)
        {
            md.AppendLine().AppendLine($"Cells without a result ({unfinished.Count}):").AppendLine();
            foreach (var line in unfinished)
            {
                md.AppendLine($"- {line}");
            }
        }

        md.AppendLine().AppendLine("## Plots").AppendLine();
        foreach (var plot in plots)
        {
            md.AppendLine($"![{plot}]({plot})").AppendLine();
        }

        return md.ToString();
    }

    private static string Describe(StudyRun r) => string.Create(
        CultureInfo.InvariantCulture,
        $"{r.Optimizer} + {r.Schedule} at lr {r.Lr:0.00e+00}: best test accuracy {r.Summary!.BestAccuracy * 100:F2}% (epoch {r.Summary.BestEpoch}), final {r.Summary.FinalAccuracy * 100:F2}%");
}
