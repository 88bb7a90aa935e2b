namespace GpuTrainer.Study;

/// <summary>What diverged.json in a diverged run's folder holds, so a resumed study records it again without retraining.</summary>
/// <param name="Error">The divergence message.</param>
internal sealed record DivergedRun(string Error);
