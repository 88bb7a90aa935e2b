namespace GpuTrainer.Study;

/// <summary>A study's report found cells that are missing or failed; the message is the one sentence the user sees.</summary>
public sealed class StudyIncompleteException(string message) : Exception(message);
