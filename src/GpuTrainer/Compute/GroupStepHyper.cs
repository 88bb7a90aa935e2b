namespace GpuTrainer.Compute;

/// <summary>What the group optimizer does to one model at one step.</summary>
public enum GroupStepKind
{
    /// <summary>Nothing: the model is masked out (it diverged), its parameters and state stay as they are.</summary>
    Skip,

    /// <summary>One SGD step with <see cref="GroupStepHyper.Sgd"/>.</summary>
    Sgd,

    /// <summary>One Adam/AdamW step with <see cref="GroupStepHyper.Adam"/>.</summary>
    Adam,
}

/// <summary>One row of the group optimizer's per-model table: the kind of step and its hyperparameters.</summary>
/// <param name="Kind">SGD, Adam, or skip.</param>
/// <param name="Sgd">The SGD step (read when <paramref name="Kind"/> is <see cref="GroupStepKind.Sgd"/>).</param>
/// <param name="Adam">The Adam step (read when <paramref name="Kind"/> is <see cref="GroupStepKind.Adam"/>).</param>
public readonly record struct GroupStepHyper(GroupStepKind Kind, SgdHyper Sgd = default, AdamHyper Adam = default);
