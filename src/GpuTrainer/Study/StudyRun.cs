using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>One cell of the study's grid and how it ended.</summary>
/// <param name="Name">Its sub-folder's name, e.g. "sgd-step-c2-lr3.80e-02".</param>
/// <param name="Optimizer">"sgd", "adam" or "adamw".</param>
/// <param name="Schedule">The schedule's name.</param>
/// <param name="Candidate">Which candidate rate (from 1, lowest first).</param>
/// <param name="Lr">The base learning rate.</param>
/// <param name="Status">Finished or diverged.</param>
/// <param name="Summary">The run's summary; null when it diverged.</param>
/// <param name="Error">Why it diverged; null when it finished.</param>
/// <param name="Reused">True when a previous invocation of the study had already run it.</param>
public sealed record StudyRun(
    string Name, string Optimizer, string Schedule, int Candidate, double Lr, StudyRunStatus Status, RunSummary? Summary, string? Error, bool Reused);
