using System.Globalization;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.LrFinder;
using GpuTrainer.Reports;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The study's <see cref="ReportPage"/> (report.html beside report.md): its range tests, every cell's curves (Loss/train
/// per step from its metrics.csv, the per-epoch metrics from its summary), the ranked table with each cell's status (ok,
/// diverged, or without a result: running or missing), the reference study beside ours and the provenance.
/// </summary>
internal static class StudyPage
{
    /// <summary>A cell without a result, as the page shows it: "running" or "missing", and why.</summary>
    internal sealed record Pending(StudyCell Cell, string Status, string Note);

    /// <summary>Writes report.html into the request's folder and returns its path.</summary>
    public static string Write(StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> ranked, IReadOnlyList<Pending> pending)
    {
        var folder = Path.GetFullPath(request.OutputDirectory!);
        var cells = ranked.Count + pending.Count;
        var status = pending.Count == 0
            ? $"{ranked.Count} of {cells} runs finished ({ranked.Count(r => r.Status == StudyRunStatus.Diverged)} diverged)."
            : $"{ranked.Count} of {cells} runs finished; {pending.Count(p => p.Status == "running")} running, {pending.Count(p => p.Status == "missing")} missing. Reload the page to see more.";
        // A diverged run has no summary: its steps per epoch are a finished run's (every cell has the same data and batch).
        var batches = ranked.Select(r => r.Summary).FirstOrDefault(s => s is not null) is { } f ? BatchLoader.CountBatches(f.TrainImages, f.Batch) : 1;
        var runs = ranked.Select(r => Run(folder, r, batches)).Concat(pending.Select(Run)).ToList();
        var model = new ReportModel(
            $"Learning-rate study: {request.ResolveModel().Label}", status, StudyReport.ReportFile, Provenance(request, folder, rangeTests, ranked, pending.Count == 0),
            [.. rangeTests.Select(RangeTest)], runs, Reference(request, rangeTests, ranked));
        var path = Path.Combine(folder, ReportPage.FileName);
        ReportPage.Write(path, model);
        return path;
    }

    private static RunModel Run(string folder, StudyRun r, double batches)
    {
        var s = r.Summary;
        var history = s?.History ?? [];
        var metrics = Path.Combine(folder, r.Name, TrainingRun.MetricsFile);
        var steps = File.Exists(metrics) ? CsvMetricReader.Read(metrics, MetricTags.LossTrain) : [];
        return new RunModel(
            r.Name, r.Optimizer, r.Schedule, r.Candidate, r.Lr, r.Status == StudyRunStatus.Ok ? "ok" : "diverged", r.Error, r.Name + "/", r.Candidate - 1,
            s?.BestAccuracy, s?.BestEpoch, s?.FinalAccuracy, s?.FinalTrainLoss, s?.FinalTestLoss, s?.Seconds,
            ReportPage.Series(history.Select(h => (double)h.Epoch)), ReportPage.Series(history.Select(h => h.TestAccuracy)),
            ReportPage.Series(history.Select(h => h.TestLoss)), ReportPage.Series(history.Select(h => h.TrainLoss)),
            ReportPage.Series(history.Select(h => h.LearningRate)),
            ReportPage.Series(steps.Select(p => p.Step / batches)), ReportPage.Series(steps.Select(p => p.Value)));
    }

    private static RunModel Run(Pending p) => new(
        p.Cell.Name, p.Cell.Optimizer, p.Cell.Schedule, p.Cell.Candidate, p.Cell.Lr, p.Status, p.Note, p.Cell.Name + "/", p.Cell.Candidate - 1,
        null, null, null, null, null, null, [], [], [], [], [], [], []);

    private static RangeTestModel RangeTest(LrFindSummary s)
    {
        var file = Path.Combine(s.OutputDirectory, LrFindRun.CurveFile);
        var curve = File.Exists(file) ? LrCurveFiles.ReadCsv(file) : [];   // a range test without its curve shows its suggestions only
        var g = s.Suggestions;
        return new RangeTestModel(
            s.Optimizer, ReportPage.Series(curve.Select(p => p.Lr)), ReportPage.Series(curve.Select(p => p.Loss)), ReportPage.Series(curve.Select(p => p.Smoothed)),
            Path.GetFileName(s.OutputDirectory) + "/", g?.Steepest, g?.MinimumOverTen, g?.Valley, g?.BandLow, g?.BandHigh, g?.Candidates ?? [], s.Error);
    }

    private static List<IReadOnlyList<string>> Provenance(
        StudyRequest request, string folder, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> ranked, bool complete)
    {
        var c = CultureInfo.InvariantCulture;
        var t = request;
        var first = ranked.Select(r => r.Summary).FirstOrDefault(s => s is not null);
        var plan = Path.Combine(folder, StudyFolder.PlanFile);
        var ends = ranked.Select(r => Path.Combine(folder, r.Name)).Where(Directory.Exists).Select(Directory.GetLastWriteTimeUtc).ToList();
        var recipe = string.Create(c,
            $"{string.Join(", ", t.Optimizers.Select(OptionNames.Of))} x {string.Join(", ", t.Schedules.Select(s => s.Label))} x {t.Sweep.Candidates} candidate rates; " +
            $"{t.Epochs} epochs, batch {t.Batch}, schedule stepped per {t.ScheduleUnit.ToString().ToLowerInvariant()}, momentum {t.Momentum}, weight decay {t.WeightDecay}; " +
            $"range test {t.Sweep.Start:0.##e+00} to {t.Sweep.End:0.##e+00} over {t.Sweep.Steps} steps");
        return
        [
            ["version", "gputrainer " + ReportPage.Version],
            ["device", first?.Device ?? rangeTests.FirstOrDefault()?.Device ?? "-"],
            ["data", first is null ? rangeTests.FirstOrDefault()?.Data ?? "-" : string.Create(c, $"{first.Data} ({first.TrainImages:N0} train / {first.TestImages:N0} test images)")],
            ["seed", t.Seed.ToString(c)],
            ["recipe", (t.RecipeName is { } name ? name + ": " : "") + recipe],
            ["started", File.Exists(plan) ? File.GetLastWriteTimeUtc(plan).ToString("u", c) : "-"],
            ["ended", complete && ends.Count > 0 ? ends.Max().ToString("u", c) : "not yet"],
            ["page written", DateTime.UtcNow.ToString("u", c)],
        ];
    }

    private static ReferenceModel Reference(StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> ranked)
    {
        var differences = ReferenceStudy.Differences(request);
        var note = differences.Count == 0
            ? "This study follows the reference study's recipe (its data was full MNIST: 60,000 train / 10,000 test images)."
            : $"This study departs from the reference study's recipe: {string.Join("; ", differences)}. Its figures are for comparison only.";
        var rows = new List<ReferenceRow>();
        for (var i = 0; i < request.Optimizers.Count && i < rangeTests.Count; i++)
        {
            var optimizer = request.Optimizers[i];
            var name = OptionNames.Of(optimizer);
            foreach (var schedule in request.Schedules)
            {
                var top = ranked.FirstOrDefault(r => r.Optimizer == name && r.Schedule == schedule.Name && r.Status == StudyRunStatus.Ok);
                rows.Add(new ReferenceRow(
                    name, schedule.Name, rangeTests[i].Suggestions?.Candidates ?? [], ReferenceStudy.CandidatesOf(optimizer),
                    top?.Lr, top?.Summary!.BestAccuracy, ReferenceStudy.Pick(optimizer, schedule.Name)));
            }
        }

        return new ReferenceModel(note, rows, ranked.FirstOrDefault(r => r.Status == StudyRunStatus.Ok)?.Summary!.BestAccuracy, ReferenceStudy.BestAccuracy);
    }
}
