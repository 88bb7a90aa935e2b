namespace GpuTrainer.Training;

/// <summary>The loss became NaN or infinite: the run cannot go on with this learning rate.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
