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
/// result (diverged.json beside the metrics it logged); one that fails otherwise has the error in its attempt record
/// (see <see cref="CellAttempts"/>) and can be trained again on its own. A task's cells train as the members of one model
/// (<see cref="TrainingRun.Continue"/>; a task of one cell is one member): each cell still has its own staging folder,
/// checkpoints, attempt record and publication, and a cell that diverges is recorded as diverged while the others go on.
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
        var runs = TrainTask(request, StudyFolder.ReadCells(full), task, log, progress);
        StudyReporter.RefreshPage(full);   // report.html shows this task's cells, whoever reports the study later
        return runs;
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
        return Train(request, mine, task, cells, worker, log, progress);
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

    /// <summary>
    /// The cells of one task as one model: the finished ones are reused; the others train together, each into its own
    /// staging folder (continuing from its checkpoint there), and are published one by one.
    /// </summary>
    private static IReadOnlyList<StudyRun> Train(
        StudyRequest request, IReadOnlyList<StudyCell> mine, int task, IReadOnlyList<StudyCell> cells, CellWorker worker, TextWriter log, bool progress)
    {
        var folder = Path.GetFullPath(request.OutputDirectory!);
        var results = new StudyRun?[mine.Count];
        var pending = new List<(int Slot, StudyCell Cell, RunRequest Run)>();
        for (var i = 0; i < mine.Count; i++)
        {
            var run = Announce(request, mine[i], cells.Count, worker, log);
            results[i] = Reuse(folder, mine[i], log);
            if (results[i] is null)
            {
                pending.Add((i, mine[i], run));
            }
        }

        if (pending.Count > 0)
        {
            var attempt = new CellAttempts.Attempt(worker.Description, DateTimeOffset.UtcNow, null);
            void FailAll(string error) => pending.ForEach(p => CellAttempts.Fail(folder, p.Cell, worker, attempt, error));
            using var stop = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => FailAll(Terminated));
            pending.ForEach(p => CellAttempts.Start(folder, p.Cell, worker, attempt));
            IReadOnlyList<RunOutcome> outcomes;
            try
            {
                outcomes = TrainingRun.Continue([.. pending.Select(p => p.Run)], log, string.Create(CultureInfo.InvariantCulture, $"task {task}"), progress);
            }
            catch (Exception e)
            {
                FailAll($"{e.GetType().Name}: {e.Message}");
                throw;
            }

            for (var m = 0; m < pending.Count; m++)
            {
                var (slot, cell, run) = pending[m];
                var result = Started(cell);
                result = outcomes[m] is { Summary: { } summary }
                    ? Finish(run, summary, result, Path.Combine(folder, cell.Name))
                    : result with { Status = StudyRunStatus.Diverged, Error = outcomes[m].Diverged };
                results[slot] = Published(folder, run.OutputDirectory!, cell, result, log);
            }
        }

        return [.. results.Select(r => r!)];
    }

    // Logs the cell's line and returns its run, into this worker's staging folder.
    private static RunRequest Announce(StudyRequest request, StudyCell cell, int total, CellWorker worker, TextWriter log)
    {
        var folder = Path.GetFullPath(request.OutputDirectory!);
        var schedule = request.Schedules.FirstOrDefault(s => s.Name == cell.Schedule)
            ?? throw new IOException($"Cell {cell.Index} of {folder} names schedule '{cell.Schedule}', which its {StudyFolder.PlanFile} does not have.");
        var staging = Path.Combine(folder, StudyFolder.StagingFolder, $"{cell.Name}.{worker.Id}");
        var run = request.Run(OptionNames.Optimizer(cell.Optimizer), schedule, cell.Lr, staging) with { Seed = cell.Seed };
        log.WriteLine($"[{cell.Index + 1}/{total}] {cell.Optimizer}, {run.Description}");
        return run;
    }

    // The cell's earlier result, said in the log; null when it has still to train.
    private static StudyRun? Reuse(string folder, StudyCell cell, TextWriter log)
    {
        if (Finished(folder, cell) is not { } done)
        {
            return null;
        }

        var path = Path.Combine(folder, cell.Name);
        log.WriteLine(done.Summary is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"  reused {path}: best test accuracy {s.BestAccuracy * 100:F2}% (epoch {s.BestEpoch})")
            : $"  reused {path}: diverged");
        return done;
    }

    // Publishes the trained cell; the winner's result when another worker published it first.
    private static StudyRun Published(string folder, string staging, StudyCell cell, StudyRun result, TextWriter log)
    {
        var published = Publish(staging, folder, cell);
        CellAttempts.Clear(folder, cell);   // the cell is finished, by this worker or another
        if (!published)
        {
            log.WriteLine($"  cell {cell.Index} ({cell.Name}) was finished first by another worker; this worker's result is discarded");
            return Finished(folder, cell)!;
        }

        log.WriteLine($"  cell {cell.Index} published: {Path.Combine(folder, cell.Name)}");
        return result;
    }

    private static StudyRun Started(StudyCell cell) =>
        new(cell.Name, cell.Optimizer, cell.Schedule, cell.Candidate, cell.Lr, StudyRunStatus.Ok, null, null, Reused: false);

    // The summary in the staging folder names the folder it is renamed to.
    private static StudyRun Finish(RunRequest run, RunSummary trained, StudyRun result, string finalPath)
    {
        var summary = trained with { OutputDirectory = finalPath };
        RunJson.Write(Path.Combine(run.OutputDirectory!, TrainingRun.SummaryFile), summary);
        return result with { Summary = summary };
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
