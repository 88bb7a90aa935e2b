using System.Globalization;
using System.Text;
using GpuTrainer.Logging;
using GpuTrainer.LrFinder;
using GpuTrainer.Reports;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The study's report in its folder (beside the page, <see cref="StudyPage"/>): report.md (range-test suggestions, the ranked table of every run, the best
/// configuration per optimizer and overall, the <see cref="ReferenceStudy"/>'s figures beside ours) and per optimizer
/// one PNG of Loss/train per step (smoothed as TensorBoard's scalar cards show it: its debiased EMA, smoothing 0.6, the
/// raw curve faint behind it) and
/// one per epoch metric (Accuracy/test, Loss/train, Loss/test, LR/train), with a series per run: one colour per
/// candidate rate, one line style per schedule (step dashed), x in epochs from 0. Rewritten on every invocation, so a
/// resumed study's report is whole.
/// </summary>
public static class StudyReport
{
    /// <summary>The report's file name.</summary>
    public const string ReportFile = "report.md";

    /// <summary>TensorBoard's default scalar smoothing, the weight of its debiased EMA (<see cref="LossSmoother"/>).</summary>
    public const double TensorBoardSmoothing = 0.6;

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
            var steps = $"loss-train-steps-{optimizer}.png";
            StepPlot(folder, finished, request.Epochs, $"{request.ResolveModel().Label}, {optimizer}").Save(Path.Combine(folder, steps), overwrite: true);
            plots.Add(steps);
            foreach (var (tag, stem, yLabel, logY, value) in Metrics)
            {
                var name = $"{stem}-{optimizer}.png";
                Plot(finished, request.Epochs, $"{tag}: {request.ResolveModel().Label}, {optimizer}", yLabel, logY, value).Save(Path.Combine(folder, name), overwrite: true);
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

    private static LinePlot Plot(IReadOnlyList<StudyRun> runs, int epochs, string title, string yLabel, bool logY, Func<EpochResult, double> value)
    {
        var plot = new LinePlot { Title = title, XLabel = "epoch", YLabel = yLabel, LogY = logY, XRange = (0, epochs) };
        foreach (var run in runs)
        {
            var history = run.Summary!.History;
            plot.AddSeries(Label(run), [.. history.Select(r => (double)r.Epoch)], [.. history.Select(value)], run.Candidate - 1, Style(run));
        }

        if (title.StartsWith(MetricTags.AccuracyTest, StringComparison.Ordinal))
        {
            plot.PercentY = true;
            plot.YRange = AccuracyRange(runs);
        }

        return plot;
    }

    /// <summary>
    /// The accuracy axis where runs differ: from a little below the lowest final accuracy (a run still learning at its
    /// first epochs leaves the plot at the bottom) to a little above the best; null (fit the data) without runs.
    /// </summary>
    internal static (double Min, double Max)? AccuracyRange(IReadOnlyList<StudyRun> runs)
    {
        var histories = runs.Select(r => r.Summary!.History).Where(h => h.Count > 0).ToList();
        if (histories.Count == 0)
        {
            return null;
        }

        var top = histories.Max(h => h.Max(r => r.TestAccuracy));
        var low = histories.Min(h => h[^1].TestAccuracy);
        var margin = Math.Max(0.002, (top - low) * 0.1);
        return (Math.Max(0, low - margin), Math.Min(1, top + margin));
    }

    /// <summary>Loss/train of every step, read from each run's metrics file and smoothed as TensorBoard does, against epochs (step / batches per epoch).</summary>
    private static LinePlot StepPlot(string folder, IReadOnlyList<StudyRun> runs, int epochs, string what)
    {
        var plot = new LinePlot
        {
            Title = $"{MetricTags.LossTrain} per step: {what}",
            XLabel = "epoch",
            YLabel = string.Create(CultureInfo.InvariantCulture, $"{MetricTags.LossTrain} (smoothed {TensorBoardSmoothing})"),
            LogY = true,
            XRange = (0, epochs),
        };
        foreach (var run in runs)
        {
            var s = run.Summary!;
            var batches = (double)((s.TrainImages + s.Batch - 1) / s.Batch);
            var rows = CsvMetricReader.Read(Path.Combine(folder, run.Name, TrainingRun.MetricsFile), MetricTags.LossTrain);
            var smoother = new LossSmoother(TensorBoardSmoothing);
            double[] x = [.. rows.Select(r => r.Step / batches)];
            plot.AddSeries("", x, [.. rows.Select(r => r.Value)], run.Candidate - 1, faint: true);   // the raw curve, faint behind its smoothed one
            plot.AddSeries(Label(run), x, [.. rows.Select(r => smoother.Add(r.Value))], run.Candidate - 1, Style(run));
        }

        return plot;
    }

    /// <summary>One line style per schedule: fixed solid, step dashed, any other dotted.</summary>
    private static LineStyle Style(StudyRun run) => run.Schedule switch
    {
        "fixed" => LineStyle.Solid,
        "step" => LineStyle.Dashed,
        _ => LineStyle.Dotted,
    };

    private static string Label(StudyRun run) => string.Create(CultureInfo.InvariantCulture, $"{run.Schedule} lr {run.Lr:0.00e+00}");

    private static string Markdown(
        StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> ranked, IReadOnlyList<string> unfinished, IReadOnlyList<string> plots)
    {
        var c = CultureInfo.InvariantCulture;
        var t = request;
        var md = new StringBuilder();
        md.AppendLine($"# Learning-rate study: {request.ResolveModel().Label}").AppendLine();
        md.Append(string.Create(c,
            $"{ranked.Count} runs: optimizers {string.Join(", ", request.Optimizers.Select(OptionNames.Of))} x schedules " +
            $"{string.Join(", ", request.Schedules.Select(s => s.Label))} x {request.Sweep.Candidates} candidate rates; " +
            $"{t.Epochs} epochs, batch {t.Batch}, seed {t.Seed}"));
        md.Append(t.Momentum != 0 ? string.Create(c, $", SGD momentum {t.Momentum}") : "");
        md.AppendLine(t.WeightDecay != 0 ? string.Create(c, $", weight decay {t.WeightDecay}.") : ".");
        md.AppendLine();

        md.AppendLine($"The interactive version, with every curve, a smoothing slider and a sortable table: [{ReportPage.FileName}]({ReportPage.FileName}) (one file; opens offline).");
        md.AppendLine();
        md.AppendLine("## Best configurations").AppendLine();
        var best = ranked.FirstOrDefault(r => r.Status == StudyRunStatus.Ok);
        md.AppendLine(best is null ? "- Overall: none; every run diverged." : $"- **Overall: {Describe(best)}**");
        foreach (var optimizer in ranked.Select(r => r.Optimizer).Distinct())
        {
            var top = ranked.FirstOrDefault(r => r.Optimizer == optimizer && r.Status == StudyRunStatus.Ok);
            md.AppendLine(top is null ? $"- {optimizer}: every run diverged." : $"- {optimizer}: {Describe(top)}");
        }

        md.Append(Reference(request, rangeTests, ranked));

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

    /// <summary>The reference study's candidates, picks and best accuracy beside ours, and where our recipe departs from its.</summary>
    private static string Reference(StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> ranked)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder().AppendLine().AppendLine("## Beside the reference study").AppendLine();
        var differences = ReferenceStudy.Differences(request);
        md.AppendLine(differences.Count == 0
            ? "This study follows the reference study's recipe (its data was full MNIST: 60,000 train / 10,000 test images)."
            : $"This study departs from the reference study's recipe: {string.Join("; ", differences)}. Its figures are for comparison only.");
        md.AppendLine().AppendLine("| optimizer | candidates (ours) | candidates (reference) | schedule | pick (ours) | best test acc (ours) | pick (reference) |");
        md.AppendLine("| --- | --- | --- | --- | ---: | ---: | ---: |");
        for (var i = 0; i < request.Optimizers.Count && i < rangeTests.Count; i++)
        {
            var optimizer = request.Optimizers[i];
            var name = OptionNames.Of(optimizer);
            var ours = string.Join(", ", rangeTests[i].Suggestions!.Candidates.Select(x => x.ToString("0.00e+00", c)));
            var theirs = ReferenceStudy.CandidatesOf(optimizer) is { Count: > 0 } r ? string.Join(", ", r.Select(x => x.ToString("0.00e+00", c))) : "-";
            foreach (var schedule in request.Schedules)
            {
                var top = ranked.FirstOrDefault(r => r.Optimizer == name && r.Schedule == schedule.Name && r.Status == StudyRunStatus.Ok);
                var pick = ReferenceStudy.Pick(optimizer, schedule.Name) is { } p ? p.ToString("0.00e+00", c) : "-";
                md.AppendLine(string.Create(c,
                    $"| {name} | {ours} | {theirs} | {schedule.Name} | {(top is null ? "-" : top.Lr.ToString("0.00e+00", c))} | " +
                    $"{(top is null ? "-" : (top.Summary!.BestAccuracy * 100).ToString("F2", c) + "%")} | {pick} |"));
            }
        }

        var best = ranked.FirstOrDefault(r => r.Status == StudyRunStatus.Ok);
        md.AppendLine().AppendLine(string.Create(c,
            $"Best test accuracy: ours {(best is null ? "-" : (best.Summary!.BestAccuracy * 100).ToString("F2", c) + "%")}, the reference's about {ReferenceStudy.BestAccuracy * 100:F1}% (full MNIST)."));
        return md.ToString();
    }

    private static string Describe(StudyRun r) => string.Create(
        CultureInfo.InvariantCulture,
        $"{r.Optimizer} + {r.Schedule} at lr {r.Lr:0.00e+00}: best test accuracy {r.Summary!.BestAccuracy * 100:F2}% (epoch {r.Summary.BestEpoch}), final {r.Summary.FinalAccuracy * 100:F2}%");
}
