namespace GpuTrainer.LrFinder;

/// <summary>What a range test recorded: every step's point, the test loss per completed pass, and why it stopped.</summary>
/// <param name="Points">One point per step run; a non-finite loss is the last point.</param>
/// <param name="Passes">Test loss after each complete pass over the training data.</param>
/// <param name="StopReason">Why the sweep ended.</param>
public sealed record LrRangeTestResult(IReadOnlyList<LrCurvePoint> Points, IReadOnlyList<LrPassResult> Passes, LrStopReason StopReason);
