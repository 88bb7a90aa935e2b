namespace GpuTrainer.LrFinder;

/// <summary>One step of the range test: the rate used, the batch's loss and the smoothed loss after it.</summary>
/// <param name="Step">Sweep step, from 1.</param>
/// <param name="Lr">Learning rate of the step.</param>
/// <param name="Loss">Mean loss of the step's batch (before the update).</param>
/// <param name="Smoothed">Bias-corrected EMA of the losses so far (<see cref="LossSmoother"/>).</param>
public sealed record LrCurvePoint(int Step, double Lr, double Loss, double Smoothed);
