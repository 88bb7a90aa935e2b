using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Training;

/// <summary>The loss became NaN or infinite: the run cannot go on with this learning rate.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message)
{
    /// <summary>The scalars the run logged before it diverged (set by <see cref="TrainingRun"/>; null from the trainer itself).</summary>
    public IReadOnlyList<MetricRow>? Metrics { get; init; }
}
