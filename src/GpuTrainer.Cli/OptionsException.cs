namespace GpuTrainer.Cli;

/// <summary>An impossible or contradictory option; the message is the one sentence the user sees.</summary>
public sealed class OptionsException(string message) : Exception(message);
