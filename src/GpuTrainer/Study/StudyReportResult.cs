using GpuTrainer.LrFinder;

namespace GpuTrainer.Study;

/// <summary>What a report covers.</summary>
/// <param name="RangeTests">The range test of each optimizer.</param>
/// <param name="Runs">The finished cells, best first (see <see cref="StudyReport.Rank"/>).</param>
/// <param name="Unfinished">The cells with no result, in grid order.</param>
/// <param name="ReportPath">The Markdown report.</param>
public sealed record StudyReportResult(IReadOnlyList<LrFindSummary> RangeTests, IReadOnlyList<StudyRun> Runs, IReadOnlyList<UnfinishedCell> Unfinished, string ReportPath);
