namespace GpuTrainer.Schedules;

/// <summary>
/// PyTorch ExponentialLR: lr = baseLr * gamma^step. PyTorch multiplies by gamma once per step; the
/// power form agrees to within a few ulps per step (about 1e-14 relative over 200 steps).
/// </summary>
public sealed class ExponentialLr : ILrSchedule
{
    private readonly double _baseLr, _gamma;

    /// <summary>Decays by <paramref name="gamma"/> in (0, 1] every step.</summary>
    public ExponentialLr(double baseLr, double gamma)
    {
        ScheduleChecks.Positive(baseLr, nameof(baseLr));
        ScheduleChecks.InRange(gamma, nameof(gamma), 0, 1, loOpen: true);
        (_baseLr, _gamma) = (baseLr, gamma);
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);
        return _baseLr * Math.Pow(_gamma, step);
    }
}
