namespace GpuTrainer.Training;

/// <summary>The run was interrupted (Ctrl-C) after writing a checkpoint; its partial folder is kept for `run --resume`.</summary>
public sealed class RunInterruptedException(string message) : Exception(message);
