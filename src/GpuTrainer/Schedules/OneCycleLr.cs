namespace GpuTrainer.Schedules;

/// <summary>
/// PyTorch OneCycleLR (learning rate only; its momentum cycling is not reproduced). With
/// initial = maxLr / divFactor and min = initial / finalDivFactor, the phases end at step (a float)
///   two-phase:   pctStart*totalSteps - 1 (initial -> maxLr), totalSteps - 1 (maxLr -> min);
///   three-phase: pctStart*totalSteps - 1 (initial -> maxLr), 2*pctStart*totalSteps - 2 (maxLr -> initial),
///                totalSteps - 1 (initial -> min).
/// A step lies in the first phase whose end it does not pass (the last phase takes the rest), at
/// pct = (step - phase start) / (phase end - phase start). This is PyTorch's own closed form, computed in the
/// same order, so values agree bit for bit. As in PyTorch, steps 0..totalSteps are valid (step totalSteps
/// lies just past the final phase) and later steps throw.
/// </summary>
public sealed class OneCycleLr : ILrSchedule
{
    private readonly long _totalSteps;
    private readonly OneCycleAnneal _anneal;
    private readonly (double End, double StartLr, double EndLr)[] _phases;

    /// <summary>
    /// One cycle peaking at <paramref name="maxLr"/> (0, inf) over <paramref name="totalSteps"/> (&gt;= 1) steps,
    /// the rise taking <paramref name="pctStart"/> in [0, 1] of them; <paramref name="divFactor"/> and
    /// <paramref name="finalDivFactor"/> in (0, inf). Each phase must span at least one step.
    /// </summary>
    public OneCycleLr(
        double maxLr, long totalSteps, double pctStart = ScheduleFactory.PctStart, OneCycleAnneal anneal = OneCycleAnneal.Cos,
        double divFactor = ScheduleFactory.DivFactor, double finalDivFactor = ScheduleFactory.FinalDivFactor, bool threePhase = false)
    {
        ScheduleChecks.Positive(maxLr, nameof(maxLr));
        ScheduleChecks.AtLeast(totalSteps, nameof(totalSteps), 1);
        ScheduleChecks.InRange(pctStart, nameof(pctStart), 0, 1);
        ScheduleChecks.Positive(divFactor, nameof(divFactor));
        ScheduleChecks.Positive(finalDivFactor, nameof(finalDivFactor));
        if (!Enum.IsDefined(anneal))
        {
            throw new ArgumentException($"anneal must be Cos or Linear, got {anneal}.");
        }

        var initialLr = maxLr / divFactor;
        var minLr = initialLr / finalDivFactor;
        var riseEnd = pctStart * totalSteps - 1;
        _phases = threePhase
            ? [(riseEnd, initialLr, maxLr), (2 * pctStart * totalSteps - 2, maxLr, initialLr), (totalSteps - 1, initialLr, minLr)]
            : [(riseEnd, initialLr, maxLr), (totalSteps - 1, maxLr, minLr)];
        for (var i = 0; i < _phases.Length; i++)
        {
            if (_phases[i].End <= (i == 0 ? 0 : _phases[i - 1].End))
            {
                throw new ArgumentException(
                    $"pctStart must leave each of the {_phases.Length} phases at least one step, got pctStart {pctStart} with totalSteps {totalSteps}.");
            }
        }

        (_totalSteps, _anneal) = (totalSteps, anneal);
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);
        if (step > _totalSteps)
        {
            throw new ArgumentException($"step must be at most totalSteps {_totalSteps} for a one-cycle schedule, got {step}.");
        }

        var start = 0.0;
        for (var i = 0; ; i++)
        {
            var (end, startLr, endLr) = _phases[i];
            if (step <= end || i == _phases.Length - 1)
            {
                var pct = (step - start) / (end - start);
                return _anneal == OneCycleAnneal.Cos
                    ? endLr + (startLr - endLr) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
                    : (endLr - startLr) * pct + startLr;
            }

            start = end;
        }
    }
}
