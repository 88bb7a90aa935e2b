namespace GpuTrainer.LrFinder;

/// <summary>The test loss after one complete pass over the training data during the range test.</summary>
/// <param name="Pass">Pass number, from 1.</param>
/// <param name="Step">Sweep step at which the pass ended.</param>
/// <param name="Lr">Learning rate of that step.</param>
/// <param name="TestLoss">Mean loss over the test set.</param>
public sealed record LrPassResult(int Pass, int Step, double Lr, double TestLoss);
