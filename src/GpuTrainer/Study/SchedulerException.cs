namespace GpuTrainer.Study;

/// <summary>The cluster's scheduler refused a job; the message is the one sentence the user sees.</summary>
public sealed class SchedulerException(string message) : Exception(message);
