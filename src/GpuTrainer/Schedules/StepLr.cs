namespace GpuTrainer.Schedules;

/// <summary>PyTorch StepLR: lr = baseLr * gamma^floor(step / stepSize).</summary>
public sealed class StepLr : ILrSchedule
{
    private readonly double _baseLr, _gamma;
    private readonly long _stepSize;

    /// <summary>Decays by <paramref name="gamma"/> in (0, 1] every <paramref name="stepSize"/> (&gt;= 1) steps.</summary>
    public StepLr(double baseLr, long stepSize, double gamma = ScheduleFactory.StepGamma)
    {
        ScheduleChecks.Positive(baseLr, nameof(baseLr));
        ScheduleChecks.AtLeast(stepSize, nameof(stepSize), 1);
        ScheduleChecks.InRange(gamma, nameof(gamma), 0, 1, loOpen: true);
        (_baseLr, _stepSize, _gamma) = (baseLr, stepSize, gamma);
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);
        return _baseLr * Math.Pow(_gamma, step / _stepSize);
    }
}
