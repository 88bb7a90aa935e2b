using System.Globalization;
using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// Runs a <see cref="StudyRequest"/>: per optimizer an LR range test (sub-folder lr-find-&lt;opt&gt;) and its candidate
/// rates; then every optimizer x schedule x candidate as a <see cref="TrainingRun"/> in its own atomic sub-folder
/// (&lt;opt&gt;-&lt;schedule&gt;-c&lt;k&gt;-lr&lt;rate&gt;); then the report (<see cref="StudyReport"/>).
/// <para>
/// Resuming is by design: the study folder may exist. A sub-folder with a summary.json (or, for a run that diverged,
/// a diverged.json) is finished and is reused, not redone; an interrupted run left nothing (its folder is atomic) and
/// is run again. study.json records the study's settings; resuming with different settings is refused, since the
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
        Validate(request);
        var folder = Path.GetFullPath(request.OutputDirectory);
        PinPlan(request, folder);
        var (trained, reused) = (0, 0);
        var rangeTests = new List<LrFindSummary>();
        var runs = new List<StudyRun>();
        var total = request.Optimizers.Count * request.Schedules.Count * request.Sweep.Candidates;
        var scheduleSteps = ScheduleSteps(request);
        foreach (var optimizer in request.Optimizers)
        {
            var training = request.Training with
            {
                Optimizer = optimizer,
                Momentum = optimizer == OptimizerKind.Sgd ? request.Training.Momentum : 0,
            };
            var name = optimizer.ToString().ToLowerInvariant();
            var rangeTest = RangeTest(request, training, Path.Combine(folder, $"lr-find-{name}"), log, progress, ref trained, ref reused);
            rangeTests.Add(rangeTest);
            var candidates = rangeTest.Suggestions!.Candidates;
            foreach (var schedule in request.Schedules)
            {
                for (var k = 0; k < candidates.Count; k++)
                {
                    var lr = candidates[k];
                    var runName = string.Create(CultureInfo.InvariantCulture, $"{name}-{schedule.Name}-c{k + 1}-lr{lr:0.00e+00}");
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{runs.Count + 1}/{total}] {name}, {schedule.Describe(lr, training.ScheduleUnit)}"));
                    var cell = new StudyRun(runName, name, schedule.Name, k + 1, lr, StudyRunStatus.Ok, null, null, Reused: false);
                    var options = training with { Schedule = schedule.Create(lr, scheduleSteps) };
                    var run = Train(request, options, schedule.Describe(lr, training.ScheduleUnit), cell, Path.Combine(folder, runName), log, progress);
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

    private static void Validate(StudyRequest request)
    {
        request.Sweep.Validate();
        if (request.Optimizers.Count == 0 || request.Schedules.Count == 0)
        {
            throw new ArgumentException("A study needs at least one optimizer and one schedule.");
        }

        if (request.Optimizers.Distinct().Count() != request.Optimizers.Count || request.Schedules.Select(s => s.Name).Distinct().Count() != request.Schedules.Count)
        {
            throw new ArgumentException("Each optimizer and each schedule may appear only once in a study.");
        }

        var scheduleSteps = ScheduleSteps(request);
        foreach (var schedule in request.Schedules)
        {
            schedule.Create(request.Sweep.Start, scheduleSteps);   // an impossible schedule fails now, not after the range tests
        }

        (request.Training with { Momentum = 0 }).Validate();
    }

    /// <summary>Schedule steps in each run: its epochs, or its batches when the schedules count batches.</summary>
    private static long ScheduleSteps(StudyRequest request) => request.Training.ScheduleUnit == ScheduleUnit.Epoch
        ? request.Training.Epochs
        : request.Training.Epochs * RunData.BatchesPerEpoch(request.DataDirectory, request.Training.Batch);

    /// <summary>Writes study.json on the first invocation; on later ones refuses settings that differ from it.</summary>
    private static void PinPlan(StudyRequest request, string folder)
    {
        var plan = new StudyPlan(
            [.. request.Optimizers.Select(o => o.ToString().ToLowerInvariant())], request.Schedules, request.Training.ScheduleUnit, request.Training.Epochs,
            request.Training.Batch, request.Training.Momentum, request.Training.WeightDecay, request.Training.Seed,
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

    private static LrFindSummary RangeTest(
        StudyRequest request, TrainingOptions training, string path, TextWriter log, bool progress, ref int trained, ref int reused)
    {
        var summaryPath = Path.Combine(path, TrainingRun.SummaryFile);
        LrFindSummary summary;
        if (File.Exists(summaryPath))
        {
            summary = RunJson.Read<LrFindSummary>(summaryPath);
            reused++;
            log.WriteLine($"range test for {summary.Optimizer}: reused {path}");
            log.WriteLine(LrFinderRun.Describe(summary));
            return summary.Suggestions is null ? throw new LrBandException($"{summary.Error} The curve is in {path}.") : summary;
        }

        summary = LrFinderRun.Execute(new LrFindRequest(training, request.Sweep, request.DataDirectory, request.Device, request.Threads, path), log, progress);
        trained++;
        return summary;
    }

    private static StudyRun Train(
        StudyRequest request, TrainingOptions options, string description, StudyRun cell, string path, TextWriter log, bool progress)
    {
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
            var run = new RunRequest(options, request.DataDirectory, request.Device, request.Threads, path, description);
            return cell with { Summary = TrainingRun.Execute(run, log, progress) };
        }
        catch (TrainingDivergedException e)
        {
            using var folder = RunFolder.Create(path);
            RunJson.Write(folder.PathOf(DivergedFile), new DivergedRun(e.Message));
            folder.Complete();
            log.WriteLine($"  diverged: {e.Message}");
            return cell with { Status = StudyRunStatus.Diverged, Error = e.Message };
        }
    }
}
