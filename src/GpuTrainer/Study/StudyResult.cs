using GpuTrainer.LrFinder;

namespace GpuTrainer.Study;

/// <summary>What a study produced.</summary>
/// <param name="RangeTests">The range test of each optimizer, in the request's order.</param>
/// <param name="Runs">Every run, best first (see <see cref="StudyReport.Rank"/>).</param>
/// <param name="Trained">Runs (and range tests) this invocation trained.</param>
/// <param name="Reused">Runs (and range tests) taken from an earlier invocation.</param>
/// <param name="ReportPath">The Markdown report.</param>
public sealed record StudyResult(IReadOnlyList<LrFindSummary> RangeTests, IReadOnlyList<StudyRun> Runs, int Trained, int Reused, string ReportPath);
