namespace GpuTrainer.Training.Checkpoints;

/// <summary>A checkpoint is missing, truncated, damaged, of another format version or of another model or data set; nothing was written.</summary>
public sealed class CheckpointException(string message) : IOException(message);
