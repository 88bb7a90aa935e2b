namespace GpuTrainer.Study;

/// <summary>A cell with no result (yet).</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Reason">"missing: never started", "failed: ..." with the error and the worker, or "no result: ..." for a worker that was killed.</param>
public sealed record UnfinishedCell(StudyCell Cell, string Reason);
