namespace GpuTrainer.Schedules;

/// <summary>
/// PyTorch PolynomialLR in its closed form: lr = baseLr * (1 - min(step, totalIters) / totalIters)^power,
/// reaching 0 at totalIters and staying there. PyTorch steps a recursive form equal to it up to rounding.
/// </summary>
public sealed class PolynomialLr : ILrSchedule
{
    private readonly double _baseLr, _power;
    private readonly long _totalIters;

    /// <summary>Decays to zero over <paramref name="totalIters"/> (&gt;= 1) steps with exponent <paramref name="power"/> in (0, inf).</summary>
    public PolynomialLr(double baseLr, long totalIters, double power = 1)
    {
        ScheduleChecks.Positive(baseLr, nameof(baseLr));
        ScheduleChecks.AtLeast(totalIters, nameof(totalIters), 1);
        ScheduleChecks.Positive(power, nameof(power));
        (_baseLr, _totalIters, _power) = (baseLr, totalIters, power);
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);
        return _baseLr * Math.Pow(1.0 - (double)Math.Min(_totalIters, step) / _totalIters, _power);
    }
}
