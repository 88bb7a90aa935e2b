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

    /// <param name="request">The study.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="progress">Show progress bars (range tests, epochs) on standard output.</param>
    public static StudyResult Execute(StudyRequest request, TextWriter log, bool progress = false)
    {
        Validate(request);
        var folder = Path.GetFullPath(request.OutputDirectory);
        PinPlan(request, folder);
        var trainings = request.Optimizers.Select(optimizer => request.Training with
        {
            Optimizer = optimizer,
            Momentum = optimizer == OptimizerKind.Sgd ? request.Training.Momentum : 0,
        }).ToList();
        var (rangeTests, trained, reused) = StudyRangeTests.Run(request, folder, trainings, log, progress);
        var cells = new List<StudyCell>();
        for (var o = 0; o < trainings.Count; o++)
        {
            var training = trainings[o];
            var name = training.Optimizer.ToString().ToLowerInvariant();
            var candidates = rangeTests[o].Suggestions!.Candidates;
            foreach (var schedule in request.Schedules)
            {
                for (var k = 0; k < candidates.Count; k++)
                {
                    var lr = candidates[k];
                    var runName = string.Create(CultureInfo.InvariantCulture, $"{name}-{schedule.Name}-c{k + 1}-lr{lr:0.00e+00}");
                    var cell = new StudyRun(runName, name, schedule.Name, k + 1, lr, StudyRunStatus.Ok, null, null, Reused: false);
                    var options = training with { Schedule = schedule.Create(lr, training.Epochs) };
                    var run = new RunRequest(options, request.DataDirectory, request.Device, request.Threads, Path.Combine(folder, runName), schedule.Describe(lr, training.ScheduleUnit));
                    cells.Add(new StudyCell(cell, run));
                }
            }
        }

        var runs = StudyCells.Train(request, cells, log, progress);
        trained += runs.Count(r => !r.Reused);
        reused += runs.Count(r => r.Reused);
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

        if (request.Parallel < 0)
        {
            throw new ArgumentException($"The number of cells trained together must be 0 (as many as memory allows) or positive, got {request.Parallel}.");
        }

        if (request.Training.ScheduleUnit != ScheduleUnit.Epoch)
        {
            throw new ArgumentException("A study's schedules count epochs; per-batch schedules are not supported in a study.");
        }

        foreach (var schedule in request.Schedules)
        {
            schedule.Create(request.Sweep.Start, request.Training.Epochs);   // an impossible schedule fails now, not after the range tests
        }

        (request.Training with { Momentum = 0 }).Validate();
    }

    /// <summary>Writes study.json on the first invocation; on later ones refuses settings that differ from it.</summary>
    private static void PinPlan(StudyRequest request, string folder)
    {
        var plan = new StudyPlan(
            [.. request.Optimizers.Select(o => o.ToString().ToLowerInvariant())], request.Schedules, request.Training.Epochs,
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
}
