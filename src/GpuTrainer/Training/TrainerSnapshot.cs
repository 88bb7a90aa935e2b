using GpuTrainer.Optim;

namespace GpuTrainer.Training;

/// <summary>What <see cref="Trainer.Restore"/> needs to undo training: the parameter arena, the optimizer state and the global step.</summary>
/// <param name="Parameters">The model's flat parameter arena.</param>
/// <param name="Optimizer">The optimizer's step counter and state arenas.</param>
/// <param name="Step">The trainer's global step.</param>
public sealed record TrainerSnapshot(float[] Parameters, OptimizerState Optimizer, long Step);
