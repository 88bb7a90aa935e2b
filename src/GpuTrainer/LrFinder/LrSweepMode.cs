namespace GpuTrainer.LrFinder;

/// <summary>How the range test moves the learning rate from its start to its end.</summary>
public enum LrSweepMode
{
    /// <summary>Geometric steps: the same factor between consecutive rates (the usual choice).</summary>
    Exponential,

    /// <summary>Arithmetic steps: the same difference between consecutive rates.</summary>
    Linear,
}
