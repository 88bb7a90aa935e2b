namespace GpuTrainer.Study;

/// <summary>How a study's training run ended.</summary>
public enum StudyRunStatus
{
    /// <summary>Every epoch ran.</summary>
    Ok,

    /// <summary>The loss became non-finite; the run was recorded and the study went on.</summary>
    Diverged,
}
