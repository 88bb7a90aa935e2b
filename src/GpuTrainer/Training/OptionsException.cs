namespace GpuTrainer.Training;

/// <summary>
/// An impossible or contradictory setting in a request (<see cref="RunRequest"/>, <see cref="LrFinder.LrFindRequest"/>,
/// <see cref="Study.StudyRequest"/>); the message is the one sentence the user sees, naming the option as the CLI spells it.
/// </summary>
public sealed class OptionsException(string message) : ArgumentException(message);
