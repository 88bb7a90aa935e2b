namespace GpuTrainer.Schedules;

/// <summary>A constant learning rate (PyTorch: no scheduler, or LambdaLR(lambda step: 1)).</summary>
public sealed class FixedLr : ILrSchedule
{
    private readonly double _baseLr;

    /// <summary>lr = <paramref name="baseLr"/> at every step; <paramref name="baseLr"/> in (0, inf).</summary>
    public FixedLr(double baseLr)
    {
        ScheduleChecks.Positive(baseLr, nameof(baseLr));
        _baseLr = baseLr;
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);
        return _baseLr;
    }
}
