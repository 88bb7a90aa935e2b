namespace GpuTrainer.LrFinder;

/// <summary>Why the range test ended.</summary>
public enum LrStopReason
{
    /// <summary>Every step of the sweep ran.</summary>
    Completed,

    /// <summary>The smoothed loss exceeded the divergence factor times its best.</summary>
    Diverged,

    /// <summary>A batch's loss was NaN or infinite.</summary>
    NonFiniteLoss,
}
