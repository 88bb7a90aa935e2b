namespace GpuTrainer.Study;

/// <summary>
/// Runs a <see cref="StudyRequest"/> on this machine: the three phases a cluster runs as separate jobs, one after the
/// other in this process. <see cref="StudyPlanner"/> (per optimizer an LR range test, sub-folder lr-find-&lt;opt&gt;,
/// and the cell manifest), <see cref="StudyCellRunner"/> for every array task (each optimizer x schedule x candidate
/// as a training run in its own atomic sub-folder &lt;opt&gt;-&lt;schedule&gt;-c&lt;k&gt;-lr&lt;rate&gt;), then the report
/// (<see cref="StudyReporter"/>).
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
        request = request with { OutputDirectory = Path.GetFullPath(request.OutputDirectory ?? request.DefaultOutputDirectory()) };
        var plan = StudyPlanner.Plan(request, log, progress);
        var runs = plan.Cells.Select(c => c.Task).Distinct()
            .SelectMany(task => StudyCellRunner.TrainTask(request, plan.Cells, task, log, progress, CellWorker.Local))
            .ToList();
        var report = StudyReporter.Write(request, plan.RangeTests, runs, []);
        var (trained, reused) = (plan.Trained + runs.Count(r => !r.Reused), plan.Reused + runs.Count(r => r.Reused));
        log.WriteLine($"study finished: {runs.Count} runs and {plan.RangeTests.Count} range tests, {trained} of them trained now and {reused} reused; report {report.ReportPath}");
        return new StudyResult(plan.RangeTests, report.Runs, trained, reused, report.ReportPath);
    }
}
