using GpuTrainer.LrFinder;

namespace GpuTrainer.Study;

/// <summary>What <see cref="StudyPlanner.Plan"/> produced.</summary>
/// <param name="Folder">The study folder's full path.</param>
/// <param name="RangeTests">The range test of each optimizer, in the request's order.</param>
/// <param name="Cells">The cell manifest, in grid order.</param>
/// <param name="Trained">Range tests this invocation ran.</param>
/// <param name="Reused">Range tests taken from an earlier invocation.</param>
public sealed record StudyPlanResult(string Folder, IReadOnlyList<LrFindSummary> RangeTests, IReadOnlyList<StudyCell> Cells, int Trained, int Reused);
