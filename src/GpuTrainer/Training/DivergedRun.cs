namespace GpuTrainer.Training;

/// <summary>What diverged.json in a diverged run's folder holds (beside its metrics up to the divergence), so a resumed study records it again without retraining.</summary>
/// <param name="Error">The divergence message.</param>
/// <param name="History">The epochs it completed before diverging.</param>
public sealed record DivergedRun(string Error, IReadOnlyList<EpochResult>? History = null);
