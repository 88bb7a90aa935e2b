using System.Globalization;
using GpuTrainer.Logging;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Study;

/// <summary>
/// Runs a <see cref="StudyRequest"/>: per optimizer an LR range test (sub-folder lr-find-&lt;opt&gt;) and its candidate
/// rates; then every optimizer x schedule x candidate as a <see cref="TrainingRun"/> in its own atomic sub-folder
/// (&lt;opt&gt;-&lt;schedule&gt;-c&lt;k&gt;-lr&lt;rate&gt;); then the report (<see cref="StudyReport"/>).
/// <para>
/// Resuming is by design: the study folder may exist. A sub-folder with a summary.json (or, for a run that diverged,
/// a diverged.json) is finished and is reused, not redone; an interrupted run continues from its
/// latest checkpoint (a run killed before its first epoch ended left nothing and is run again). A diverged run keeps
/// its metrics.csv up to the divergence. study.json records the study's settings; resuming with different settings is refused, since the
/// finished runs would not belong to the new study. A run that diverges is recorded as diverged and the study goes on.
/// </para>
/// </summary>
public static class StudyRunner
{
    /// <summary>The file in the study folder that pins its settings.</summary>
    public const string PlanFile = "study.json";

    private const string DivergedFile = "diverged.json";


    /// <param name="request">The study.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="progress">Show progress bars (range tests, epochs) on standard output.</param>
    public static StudyResult Execute(StudyRequest request, TextWriter log, bool progress = false)
    {
        request.Validate();
        var folder = Path.GetFullPath(request.OutputDirectory ?? request.DefaultOutputDirectory());
        PinPlan(request, folder);
        var (trained, reused) = (0, 0);
        var rangeTests = new List<LrFindSummary>();
        var runs = new List<StudyRun>();
        var total = request.Optimizers.Count * request.Schedules.Count * request.Sweep.Candidates;
        foreach (var optimizer in request.Optimizers)
        {
            var name = OptionNames.Of(optimizer);
            var rangeTest = RangeTest(request.RangeTest(optimizer, Path.Combine(folder, $"lr-find-{name}")), log, progress, ref trained, ref reused);
            rangeTests.Add(rangeTest);
            var candidates = rangeTest.Suggestions!.Candidates;
            foreach (var schedule in request.Schedules)
            {
                for (var k = 0; k < candidates.Count; k++)
                {
                    var lr = candidates[k];
                    var runName = string.Create(CultureInfo.InvariantCulture, $"{name}-{schedule.Name}-c{k + 1}-lr{lr:0.00e+00}");
                    var runRequest = request.Run(optimizer, schedule, lr, Path.Combine(folder, runName));
                    log.WriteLine($"[{runs.Count + 1}/{total}] {name}, {runRequest.Description}");
                    var cell = new StudyRun(runName, name, schedule.Name, k + 1, lr, StudyRunStatus.Ok, null, null, Reused: false);
                    var run = Train(runRequest, cell, log, progress);
                    (trained, reused) = run.Reused ? (trained, reused + 1) : (trained + 1, reused);
                    runs.Add(run);
                }
            }
        }

        var ranked = StudyReport.Rank(runs);
        var reportPath = StudyReport.Write(folder, request, rangeTests, ranked);
        log.WriteLine($"study finished: {runs.Count} runs and {rangeTests.Count} range tests, {trained} of them trained now and {reused} reused; report {reportPath}");
        return new StudyResult(rangeTests, ranked, trained, reused, reportPath);
    }

    /// <summary>Writes study.json on the first invocation; on later ones refuses settings that differ from it.</summary>
    private static void PinPlan(StudyRequest request, string folder)
    {
        var plan = new StudyPlan(
            [.. request.Optimizers.Select(OptionNames.Of)], request.Schedules, request.Epochs,
            request.Batch, request.Momentum, request.WeightDecay, request.Seed,
            request.Sweep, request.DataDirectory is null ? null : Path.GetFullPath(request.DataDirectory));
        var path = Path.Combine(folder, PlanFile);
        if (File.Exists(path))
        {
            var pinned = RunJson.Read<StudyPlan>(path);
            if (!plan.SameAs(pinned))
            {
                throw new ArgumentException(
                    $"The study folder {folder} holds a study with other settings (see its {PlanFile}); resume it with those settings or choose another --out.");
            }

            return;
        }

        Directory.CreateDirectory(folder);
        RunJson.Write(path, plan);
    }

    private static LrFindSummary RangeTest(LrFindRequest request, TextWriter log, bool progress, ref int trained, ref int reused)
    {
        var path = request.OutputDirectory!;
        var summaryPath = Path.Combine(path, TrainingRun.SummaryFile);
        LrFindSummary summary;
        if (File.Exists(summaryPath))
        {
            summary = RunJson.Read<LrFindSummary>(summaryPath);
            reused++;
            log.WriteLine($"range test for {summary.Optimizer}: reused {path}");
            log.WriteLine(LrFindRun.Describe(summary));
            return summary.Suggestions is null ? throw new LrBandException($"{summary.Error} The curve is in {path}.") : summary;
        }

        summary = LrFindRun.Execute(request, log, progress);
        trained++;
        return summary;
    }

    private static StudyRun Train(RunRequest request, StudyRun cell, TextWriter log, bool progress)
    {
        var path = request.OutputDirectory!;
        var summaryPath = Path.Combine(path, TrainingRun.SummaryFile);
        var divergedPath = Path.Combine(path, DivergedFile);
        if (File.Exists(summaryPath))
        {
            var summary = RunJson.Read<RunSummary>(summaryPath);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reused {path}: best test accuracy {summary.BestAccuracy * 100:F2}% (epoch {summary.BestEpoch})"));
            return cell with { Summary = summary, Reused = true };
        }

        if (File.Exists(divergedPath))
        {
            log.WriteLine($"  reused {path}: diverged");
            return cell with { Status = StudyRunStatus.Diverged, Error = RunJson.Read<DivergedRun>(divergedPath).Error, Reused = true };
        }

        try
        {
            return cell with { Summary = TrainingRun.Continue(request, log, progress) };   // an interrupted cell goes on from its checkpoint
        }
        catch (TrainingDivergedException e)
        {
            using var folder = RunFolder.Create(path);
            RunJson.Write(folder.PathOf(DivergedFile), new DivergedRun(e.Message));
            using (var metrics = new CsvMetricSink(folder.PathOf(TrainingRun.MetricsFile)))
            {
                foreach (var row in e.Metrics ?? [])
                {
                    metrics.Scalar(row.Tag, row.Step, row.Value);
                }
            }

            folder.Complete();
            log.WriteLine($"  diverged: {e.Message}");
            return cell with { Status = StudyRunStatus.Diverged, Error = e.Message };
        }
    }
}
