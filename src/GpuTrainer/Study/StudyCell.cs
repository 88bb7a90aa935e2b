namespace GpuTrainer.Study;

/// <summary>One cell of the study's grid, as the manifest lists it.</summary>
/// <param name="Index">Its place in the grid (from 0: optimizer, then schedule, then candidate).</param>
/// <param name="Task">The scheduler's array task that trains it (Slurm's SLURM_ARRAY_TASK_ID, Kubernetes' JOB_COMPLETION_INDEX).
/// Today one cell per task; a task that trains a model group lists several cells under one task.</param>
/// <param name="Optimizer">"sgd", "adam" or "adamw".</param>
/// <param name="Schedule">The schedule's name.</param>
/// <param name="Candidate">Which candidate rate of the optimizer's range test (from 1, lowest first).</param>
/// <param name="Lr">The base learning rate.</param>
/// <param name="Seed">Seed of initialisation and shuffling.</param>
/// <param name="Name">Its sub-folder's name, e.g. "sgd-step-c2-lr3.80e-02".</param>
public sealed record StudyCell(int Index, int Task, string Optimizer, string Schedule, int Candidate, double Lr, int Seed, string Name);
