namespace GpuTrainer.Schedules;

/// <summary>How <see cref="OneCycleLr"/> moves between the learning rates of a phase (PyTorch's anneal_strategy).</summary>
public enum OneCycleAnneal
{
    /// <summary>Half a cosine: end + (start - end) / 2 * (cos(pi * pct) + 1).</summary>
    Cos,

    /// <summary>A straight line: (end - start) * pct + start.</summary>
    Linear,
}
