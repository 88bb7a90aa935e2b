namespace GpuTrainer.Schedules;

/// <summary>
/// PyTorch MultiStepLR: lr = baseLr * gamma^(number of milestones &lt;= step). Milestones must be strictly
/// increasing here (PyTorch also accepts repeats, which apply gamma once per repeat).
/// </summary>
public sealed class MultiStepLr : ILrSchedule
{
    private readonly double _baseLr, _gamma;
    private readonly long[] _milestones;

    /// <summary>Decays by <paramref name="gamma"/> in (0, 1] at each of <paramref name="milestones"/> (&gt;= 1, strictly increasing, at least one).</summary>
    public MultiStepLr(double baseLr, IReadOnlyList<long> milestones, double gamma = ScheduleFactory.MultiStepGamma)
    {
        ScheduleChecks.Positive(baseLr, nameof(baseLr));
        if (milestones.Count == 0)
        {
            throw new ArgumentException("milestones must hold at least one step, got none.");
        }

        for (var i = 0; i < milestones.Count; i++)
        {
            ScheduleChecks.AtLeast(milestones[i], $"milestones[{i}]", i == 0 ? 1 : milestones[i - 1] + 1);
        }

        ScheduleChecks.InRange(gamma, nameof(gamma), 0, 1, loOpen: true);
        (_baseLr, _milestones, _gamma) = (baseLr, [.. milestones], gamma);
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);
        return _baseLr * Math.Pow(_gamma, _milestones.Count(m => m <= step));
    }
}
