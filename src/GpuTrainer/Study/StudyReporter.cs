using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The study's last phase: reads the shared study folder (recipe, manifest, range tests, every cell's result), ranks
/// what has finished, lists the cells that are missing or failed (with why, from their attempt records) and writes
/// the report (<see cref="StudyReport"/>). An incomplete study is an error unless a partial report is asked for.
/// </summary>
public static class StudyReporter
{
    /// <param name="folder">The study folder.</param>
    /// <param name="log">Where the summary and the unfinished cells go.</param>
    /// <param name="partial">Report an incomplete study without failing.</param>
    /// <exception cref="StudyIncompleteException">Cells are missing or failed and <paramref name="partial"/> is false (the report is written first).</exception>
    public static StudyReportResult Report(string folder, TextWriter log, bool partial = false)
    {
        var full = Path.GetFullPath(folder);
        var (request, cells, rangeTests, runs, unfinished) = Read(full);
        var result = Write(request, rangeTests, runs, unfinished);
        log.WriteLine($"report: {runs.Count} of {cells.Count} cells finished; {result.ReportPath}");
        unfinished.ForEach(u => log.WriteLine($"  cell {u.Cell.Index} (task {u.Cell.Task}, {u.Cell.Name}): {u.Reason}"));
        return unfinished.Count == 0 || partial
            ? result
            : throw new StudyIncompleteException(
                $"The study in {full} is incomplete: {unfinished.Count} of {cells.Count} cells are missing or failed (see {StudyReport.ReportFile}); " +
                $"train them with `study cell --index N --out {full}`, or pass --partial to report what has finished.");
    }

    /// <summary>
    /// Rewrites report.html from what the study folder holds now (a cluster worker's refresh after its cells: finished
    /// ones ranked, the others running or missing as their attempt records say); report.md waits for <see cref="Report"/>.
    /// </summary>
    internal static void RefreshPage(string folder)
    {
        var (request, _, rangeTests, runs, unfinished) = Read(Path.GetFullPath(folder));
        StudyPage.Write(request, rangeTests, StudyReport.Rank(runs), [.. unfinished.Select(u => new StudyPage.Pending(u.Cell, Status(u.Reason), u.Reason))]);
    }

    // The study folder's recipe, cells, range tests, finished runs and the cells without a result.
    private static (StudyRequest Request, IReadOnlyList<StudyCell> Cells, List<LrFindSummary> RangeTests, List<StudyRun> Runs, List<UnfinishedCell> Unfinished) Read(string full)
    {
        var request = StudyFolder.ReadPlan(full).ToRequest(DeviceKind.Auto, 0, full);
        var cells = StudyFolder.ReadCells(full);
        var rangeTests = request.Optimizers
            .Select(o => RunJson.Read<LrFindSummary>(Path.Combine(StudyFolder.RangeTest(full, o.ToString().ToLowerInvariant()), TrainingRun.SummaryFile)))
            .ToList();
        var runs = new List<StudyRun>();
        var unfinished = new List<UnfinishedCell>();
        foreach (var cell in cells)
        {
            if (StudyCellRunner.Finished(full, cell) is { } run)
            {
                runs.Add(run);
            }
            else
            {
                unfinished.Add(new UnfinishedCell(cell, CellAttempts.Describe(full, cell)));
            }
        }

        return (request, cells, rangeTests, runs, unfinished);
    }

    /// <summary>Ranks <paramref name="runs"/> and writes the report (report.md, the PNG plots, report.html) into the request's folder.</summary>
    internal static StudyReportResult Write(
        StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> runs, IReadOnlyList<UnfinishedCell> unfinished)
    {
        var ranked = StudyReport.Rank(runs);
        var lines = unfinished.Select(u => $"{u.Cell.Name} (cell {u.Cell.Index}, task {u.Cell.Task}): {u.Reason}").ToList();
        var path = StudyReport.Write(Path.GetFullPath(request.OutputDirectory!), request, rangeTests, ranked, lines);
        StudyPage.Write(request, rangeTests, ranked, [.. unfinished.Select(u => new StudyPage.Pending(u.Cell, Status(u.Reason), u.Reason))]);
        return new StudyReportResult(rangeTests, ranked, unfinished, path);
    }

    /// <summary>
    /// Rewrites only report.html while a study runs: what has finished, the cells of <paramref name="running"/> as running,
    /// the rest as missing (not started yet).
    /// </summary>
    internal static void WritePage(
        StudyRequest request, IReadOnlyList<LrFindSummary> rangeTests, IReadOnlyList<StudyRun> runs, IReadOnlyList<StudyCell> cells, int running)
    {
        var done = runs.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var pending = cells.Where(c => !done.Contains(c.Name))
            .Select(c => c.Task == running ? new StudyPage.Pending(c, "running", $"training now (task {c.Task})") : new StudyPage.Pending(c, "missing", "not started yet"))
            .ToList();
        StudyPage.Write(request, rangeTests, StudyReport.Rank(runs), pending);
    }

    /// <summary>A cell without a result is running when a worker started it and recorded no error (it may also have been killed), else missing.</summary>
    private static string Status(string reason) => reason.StartsWith("no result", StringComparison.Ordinal) ? "running" : "missing";
}
