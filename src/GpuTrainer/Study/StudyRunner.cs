namespace GpuTrainer.Study;

/// <summary>
/// Runs a <see cref="StudyRequest"/> on this machine: the three phases a cluster runs as separate jobs, one after the
/// other in this process. <see cref="StudyPlanner"/> (per optimizer an LR range test, sub-folder lr-find-&lt;opt&gt;,
/// and the cell manifest), <see cref="StudyCellRunner"/> for every array task (each optimizer x schedule x candidate
/// as a training run in its own atomic sub-folder &lt;opt&gt;-&lt;schedule&gt;-c&lt;k&gt;-lr&lt;rate&gt;; the cells of one task,
/// up to <see cref="StudyRequest.Parallel"/>, train together as one model group), then the report
/// (<see cref="StudyReporter"/>). report.html is rewritten before every task and at the end, so a running study can be
/// watched by reloading it.
/// <para>
/// Resuming is by design: the study folder may exist. A sub-folder with a summary.json (or, for a run that diverged,
/// a diverged.json) is finished and is reused, not redone; an interrupted run left nothing (its folder is atomic) and
/// is run again. study.json records the study's settings; resuming with different settings is refused, since the
/// finished runs would not belong to the new study. A run that diverges is recorded as diverged and the study goes on.
/// </para>
/// </summary>
public static class StudyRunner
{
    /// <param name="request">The study.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="progress">Show progress bars (range tests, epochs) on standard output.</param>
    public static StudyResult Execute(StudyRequest request, TextWriter log, bool progress = false)
    {
        request = request with
        {
            OutputDirectory = Path.GetFullPath(request.OutputDirectory ?? request.DefaultOutputDirectory()),
            Parallel = request.Parallel ?? StudyParallel.Auto,
        };
        var plan = StudyPlanner.Plan(request, log, progress);
        var runs = new List<StudyRun>();
        foreach (var task in plan.Cells.Select(c => c.Task).Distinct())
        {
            StudyReporter.WritePage(request, plan.RangeTests, runs, plan.Cells, running: task);   // report.html, watched while it runs
            runs.AddRange(StudyCellRunner.TrainTask(request, plan.Cells, task, log, progress, CellWorker.Local));
        }

        var report = StudyReporter.Write(request, plan.RangeTests, runs, []);
        var (trained, reused) = (plan.Trained + runs.Count(r => !r.Reused), plan.Reused + runs.Count(r => r.Reused));
        log.WriteLine($"study finished: {runs.Count} runs and {plan.RangeTests.Count} range tests, {trained} of them trained now and {reused} reused; report {report.ReportPath}");
        return new StudyResult(plan.RangeTests, report.Runs, trained, reused, report.ReportPath);
    }
}
