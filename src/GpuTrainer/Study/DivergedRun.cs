using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>What diverged.json in a diverged run's folder holds, so a resumed study records it again without retraining.</summary>
/// <param name="Error">The divergence message.</param>
/// <param name="History">The epochs it completed before diverging, when it trained in a group (partial metrics); null otherwise.</param>
internal sealed record DivergedRun(string Error, IReadOnlyList<EpochResult>? History = null);
