namespace GpuTrainer.Optim;

/// <summary>
/// Updates a model's whole parameter arena from its gradient arena in ONE fused launch per step.
/// Hyperparameters live on the host; the learning rate comes from the schedule at every step. The arenas (parameters,
/// gradients, state) are views the caller owns; <see cref="OptimizerFactory"/> makes one from an <see cref="OptimizerKind"/>.
/// </summary>
public interface IOptimizer
{
    /// <summary>"sgd" or "adam" (AdamW reports "adamw").</summary>
    string Name { get; }

    /// <summary>Steps taken so far (the optimizer state's step counter).</summary>
    long Steps { get; }

    /// <summary>Applies one update with learning rate <paramref name="lr"/>.</summary>
    void Step(double lr);

    /// <summary>Zeroes the state (momentum, m, v, step count), as if freshly created.</summary>
    void Reset();

    /// <summary>A host copy of the state (step count and every state arena), e.g. to undo an LR range test.</summary>
    OptimizerState SaveState();

    /// <summary>Puts back a state taken by <see cref="SaveState"/> from an optimizer of the same kind and arena size.</summary>
    void RestoreState(OptimizerState state);
}
