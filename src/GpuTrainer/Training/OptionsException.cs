namespace GpuTrainer.Training;

/// <summary>
/// An impossible or contradictory setting in a request (<see cref="RunRequest"/>, <see cref="LrFinder.LrFindRequest"/>,
/// the study's request); the message is the one sentence the user sees, naming the option as the CLI spells it.
/// </summary>
public sealed class OptionsException(string message) : ArgumentException(message);
