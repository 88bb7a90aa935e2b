namespace GpuTrainer.Schedules;

/// <summary>
/// Linear warmup in front of any schedule, shifting it by the warmup length:
///   step &lt; W:  lr = inner(0) * (startFactor + (1 - startFactor) * step / W)
///   step &gt;= W: lr = inner(step - W).
/// For every schedule that starts at its base lr (all here but one-cycle, which warms up by itself) this is
/// PyTorch's SequentialLR(optimizer, [LinearLR(optimizer, start_factor, 1.0, total_iters=W), inner], milestones=[W]).
/// </summary>
public sealed class LinearWarmup : ILrSchedule
{
    private readonly ILrSchedule _inner;
    private readonly long _warmupSteps;
    private readonly double _startFactor;

    /// <summary>Ramps over <paramref name="warmupSteps"/> (&gt;= 1) steps from <paramref name="startFactor"/> (in (0, 1]) times the inner schedule's first lr.</summary>
    public LinearWarmup(ILrSchedule inner, long warmupSteps, double startFactor = ScheduleFactory.WarmupStartFactor)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ScheduleChecks.AtLeast(warmupSteps, nameof(warmupSteps), 1);
        ScheduleChecks.InRange(startFactor, nameof(startFactor), 0, 1, loOpen: true);
        (_inner, _warmupSteps, _startFactor) = (inner, warmupSteps, startFactor);
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);
        return step < _warmupSteps
            ? _inner.LearningRate(0) * (_startFactor + (1 - _startFactor) * step / _warmupSteps)
            : _inner.LearningRate(step - _warmupSteps);
    }
}
