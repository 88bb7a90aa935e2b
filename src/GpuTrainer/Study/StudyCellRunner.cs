using System.Globalization;
using System.Runtime.InteropServices;
using GpuTrainer.Compute;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The study's second phase: trains the cells of one array task into the shared study folder, from the recipe and
/// manifest its plan left there. Safe to repeat and to race: a finished cell is reused, not redone; a worker trains
/// into its own staging folder (.staging/&lt;cell&gt;.&lt;worker&gt;) and renames it into place, and when another
/// worker's result got there first, it discards its own, says so, and returns the winner's. A cell that diverges is a
/// result (diverged.json); one that fails otherwise has the error in its attempt record (see <see cref="CellAttempts"/>)
/// and can be trained again on its own.
/// </summary>
public static class StudyCellRunner
{
    /// <summary>The error a worker records when it is sent SIGTERM.</summary>
    public const string Terminated = "terminated by SIGTERM (cancelled, or past its time limit)";

    /// <param name="folder">The study folder (shared by every worker).</param>
    /// <param name="task">The array task (see <see cref="CellWorker.TaskIndex"/>).</param>
    /// <param name="device">Which backend trains.</param>
    /// <param name="threads">Threads for the managed CPU backend; 0 for every core.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="progress">Show progress bars on standard output.</param>
    /// <returns>The task's cells and how each ended.</returns>
    public static IReadOnlyList<StudyRun> Run(string folder, int task, DeviceKind device, int threads, TextWriter log, bool progress = false)
    {
        var full = Path.GetFullPath(folder);
        var request = StudyFolder.ReadPlan(full).ToRequest(device, threads, full);
        return TrainTask(request, StudyFolder.ReadCells(full), task, log, progress);
    }

    /// <summary>Trains the cells of <paramref name="task"/> among <paramref name="cells"/>.</summary>
    /// <param name="worker">Who trains; null for <see cref="CellWorker.Current"/> (a cluster worker).</param>
    internal static IReadOnlyList<StudyRun> TrainTask(
        StudyRequest request, IReadOnlyList<StudyCell> cells, int task, TextWriter log, bool progress, CellWorker? worker = null)
    {
        var mine = cells.Where(c => c.Task == task).ToList();
        if (mine.Count == 0)
        {
            throw new ArgumentException($"The study in {request.OutputDirectory} has no array task {task}; its tasks are 0 to {cells.Max(c => c.Task)}.");
        }

        worker ??= CellWorker.Current(Environment.GetEnvironmentVariable);
        return [.. mine.Select(cell => Train(request, cell, cells.Count, worker, log, progress))];
    }

    /// <summary>The cell's result when its folder holds one (summary.json, or diverged.json); null otherwise.</summary>
    internal static StudyRun? Finished(string folder, StudyCell cell)
    {
        var path = Path.Combine(folder, cell.Name);
        var run = new StudyRun(cell.Name, cell.Optimizer, cell.Schedule, cell.Candidate, cell.Lr, StudyRunStatus.Ok, null, null, Reused: true);
        var summary = Path.Combine(path, TrainingRun.SummaryFile);
        var diverged = Path.Combine(path, StudyFolder.DivergedFile);
        return File.Exists(summary) ? run with { Summary = RunJson.Read<RunSummary>(summary) }
            : File.Exists(diverged) ? run with { Status = StudyRunStatus.Diverged, Error = RunJson.Read<DivergedRun>(diverged).Error }
            : null;
    }

    private static StudyRun Train(StudyRequest request, StudyCell cell, int total, CellWorker worker, TextWriter log, bool progress)
    {
        var folder = Path.GetFullPath(request.OutputDirectory!);
        var path = Path.Combine(folder, cell.Name);
        var schedule = request.Schedules.FirstOrDefault(s => s.Name == cell.Schedule)
            ?? throw new IOException($"Cell {cell.Index} of {folder} names schedule '{cell.Schedule}', which its {StudyFolder.PlanFile} does not have.");
        var staging = Path.Combine(folder, StudyFolder.StagingFolder, $"{cell.Name}.{worker.Id}");
        var run = request.Run(OptionNames.Optimizer(cell.Optimizer), schedule, cell.Lr, staging) with { Seed = cell.Seed };
        log.WriteLine($"[{cell.Index + 1}/{total}] {cell.Optimizer}, {run.Description}");
        if (Finished(folder, cell) is { } done)
        {
            log.WriteLine(done.Summary is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"  reused {path}: best test accuracy {s.BestAccuracy * 100:F2}% (epoch {s.BestEpoch})")
                : $"  reused {path}: diverged");
            return done;
        }

        var attempt = new CellAttempts.Attempt(worker.Description, DateTimeOffset.UtcNow, null);
        // Slurm (scancel, a time limit) and Kubernetes stop a worker with SIGTERM before they kill it: record that.
        using var stop = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => CellAttempts.Fail(folder, cell, worker, attempt, Terminated));
        CellAttempts.Start(folder, cell, worker, attempt);
        StudyRun result;
        try
        {
            result = TrainInto(run, cell, path, log, progress);
        }
        catch (Exception e)
        {
            CellAttempts.Fail(folder, cell, worker, attempt, $"{e.GetType().Name}: {e.Message}");
            throw;
        }

        var published = Publish(staging, folder, cell);
        CellAttempts.Clear(folder, cell);   // the cell is finished, by this worker or another
        if (!published)
        {
            log.WriteLine($"  cell {cell.Index} ({cell.Name}) was finished first by another worker; this worker's result is discarded");
            return Finished(folder, cell)!;
        }

        log.WriteLine($"  cell {cell.Index} published: {path}");
        return result;
    }

    /// <summary>Trains into the staging folder; a divergence leaves a staging folder with diverged.json.</summary>
    private static StudyRun TrainInto(RunRequest run, StudyCell cell, string finalPath, TextWriter log, bool progress)
    {
        var result = new StudyRun(cell.Name, cell.Optimizer, cell.Schedule, cell.Candidate, cell.Lr, StudyRunStatus.Ok, null, null, Reused: false);
        try
        {
            // An interrupted cell of this worker goes on from its checkpoint (see CellWorker.Local).
            var summary = TrainingRun.Continue(run, log, progress) with { OutputDirectory = finalPath };
            RunJson.Write(Path.Combine(run.OutputDirectory!, TrainingRun.SummaryFile), summary);   // it names the folder it is renamed to
            return result with { Summary = summary };
        }
        catch (TrainingDivergedException e)
        {
            using var folder = RunFolder.Create(run.OutputDirectory!);
            RunJson.Write(folder.PathOf(StudyFolder.DivergedFile), new DivergedRun(e.Message));
            using (var metrics = new CsvMetricSink(folder.PathOf(TrainingRun.MetricsFile)))   // the run up to its divergence
            {
                foreach (var row in e.Metrics ?? [])
                {
                    metrics.Scalar(row.Tag, row.Step, row.Value);
                }
            }

            folder.Complete();
            log.WriteLine($"  diverged: {e.Message}");
            return result with { Status = StudyRunStatus.Diverged, Error = e.Message };
        }
    }

    /// <summary>Renames the staging folder into place; false when another worker's result is already there.</summary>
    private static bool Publish(string staging, string folder, StudyCell cell)
    {
        var path = Path.Combine(folder, cell.Name);
        if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any())
        {
            Directory.Delete(path);
        }

        try
        {
            Directory.Move(staging, path);
            return true;
        }
        catch (IOException) when (Finished(folder, cell) is not null)
        {
            Directory.Delete(staging, recursive: true);
            return false;
        }
    }
}
