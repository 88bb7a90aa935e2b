using System.Globalization;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>One cell of the grid before it runs: its record and the run that trains it.</summary>
/// <param name="Run">The cell as the report lists it (no summary yet).</param>
/// <param name="Request">The training run, with its folder.</param>
internal sealed record StudyCell(StudyRun Run, RunRequest Request);

/// <summary>
/// Trains a study's cells: each is reused when an earlier invocation finished it (a summary.json, or a diverged.json),
/// and otherwise trained, one after another (<see cref="StudyRequest.Parallel"/> 1) or as model groups of up to K cells
/// that train together on the same batches (<see cref="GroupTrainingRun"/>). Either way every cell keeps its own atomic
/// folder, so resuming stays per cell; a cell that diverges is recorded as diverged and the others go on.
/// </summary>
internal static class StudyCells
{
    /// <summary>The file a diverged cell's folder holds.</summary>
    public const string DivergedFile = "diverged.json";

    /// <summary>Every cell's outcome, in the cells' order.</summary>
    public static IReadOnlyList<StudyRun> Train(StudyRequest request, IReadOnlyList<StudyCell> cells, TextWriter log, bool progress)
    {
        var runs = new StudyRun?[cells.Count];
        var pending = new List<int>();
        for (var i = 0; i < cells.Count; i++)
        {
            runs[i] = Reuse(cells[i], log);
            if (runs[i] is null)
            {
                pending.Add(i);
            }
        }

        var k = StudyParallel.Resolve(request.Parallel, pending.Count, request.Training.Batch);
        var groups = pending.Chunk(Math.Max(k, 1)).ToList();
        for (var g = 0; g < groups.Count; g++)
        {
            var members = groups[g];
            foreach (var i in members)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{cells.Count}] {cells[i].Run.Optimizer}, {cells[i].Request.Description}"));
            }

            if (k == 1)
            {
                runs[members[0]] = TrainAlone(cells[members[0]], log, progress);
                continue;
            }

            var outcomes = GroupTrainingRun.Execute([.. members.Select(i => cells[i].Request)], log, $"group {g + 1}/{groups.Count}", progress);
            for (var m = 0; m < members.Length; m++)
            {
                var (cell, outcome) = (cells[members[m]], outcomes[m]);
                runs[members[m]] = outcome.Error is { } error
                    ? RecordDiverged(cell, new DivergedRun(error, outcome.History))
                    : cell.Run with { Summary = outcome.Summary };
            }
        }

        return [.. runs.Select(r => r!)];
    }

    // The cell as an earlier invocation left it, or null when it has still to run.
    private static StudyRun? Reuse(StudyCell cell, TextWriter log)
    {
        var path = cell.Request.OutputDirectory;
        var summaryPath = Path.Combine(path, TrainingRun.SummaryFile);
        var divergedPath = Path.Combine(path, DivergedFile);
        if (File.Exists(summaryPath))
        {
            var summary = RunJson.Read<RunSummary>(summaryPath);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reused {path}: best test accuracy {summary.BestAccuracy * 100:F2}% (epoch {summary.BestEpoch})"));
            return cell.Run with { Summary = summary, Reused = true };
        }

        if (File.Exists(divergedPath))
        {
            log.WriteLine($"  reused {path}: diverged");
            return cell.Run with { Status = StudyRunStatus.Diverged, Error = RunJson.Read<DivergedRun>(divergedPath).Error, Reused = true };
        }

        return null;
    }

    private static StudyRun TrainAlone(StudyCell cell, TextWriter log, bool progress)
    {
        try
        {
            return cell.Run with { Summary = TrainingRun.Execute(cell.Request, log, progress) };
        }
        catch (TrainingDivergedException e)
        {
            log.WriteLine($"  diverged: {e.Message}");
            return RecordDiverged(cell, new DivergedRun(e.Message));
        }
    }

    // A diverged cell's folder holds diverged.json (with its partial history when it trained in a group).
    private static StudyRun RecordDiverged(StudyCell cell, DivergedRun diverged)
    {
        using var folder = RunFolder.Create(cell.Request.OutputDirectory);
        RunJson.Write(folder.PathOf(DivergedFile), diverged);
        folder.Complete();
        return cell.Run with { Status = StudyRunStatus.Diverged, Error = diverged.Error };
    }
}
