namespace GpuTrainer.Schedules;

/// <summary>
/// PyTorch CosineAnnealingWarmRestarts (SGDR): cycle i lasts t0 * tMult^i steps; within a cycle of length
/// T_i at position T_cur, lr = etaMin + (baseLr - etaMin) * (1 + cos(pi * T_cur / T_i)) / 2, so each cycle
/// restarts at baseLr. The cycle is found with exact integer arithmetic (PyTorch's epoch form uses a
/// floating-point log; its step-by-step form, which the table test uses, is exact like this one).
/// </summary>
public sealed class CosineAnnealingWarmRestarts : ILrSchedule
{
    private readonly double _baseLr, _etaMin;
    private readonly long _t0, _tMult;

    /// <summary>First cycle <paramref name="t0"/> (&gt;= 1) steps, each next one <paramref name="tMult"/> (&gt;= 1) times longer; minimum <paramref name="etaMin"/> in [0, baseLr].</summary>
    public CosineAnnealingWarmRestarts(double baseLr, long t0, long tMult = 1, double etaMin = 0)
    {
        ScheduleChecks.Positive(baseLr, nameof(baseLr));
        ScheduleChecks.AtLeast(t0, nameof(t0), 1);
        ScheduleChecks.AtLeast(tMult, nameof(tMult), 1);
        ScheduleChecks.InRange(etaMin, nameof(etaMin), 0, baseLr);
        (_baseLr, _t0, _tMult, _etaMin) = (baseLr, t0, tMult, etaMin);
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        ScheduleChecks.Step(step);

        // Equal cycles: a remainder. Growing cycles: at most 63 of them fit in a long, so walk them, in Int128
        // because the cycle after the last one that fits may pass long.MaxValue.
        Int128 position = _tMult == 1 ? step % _t0 : step, cycle = _t0;
        while (position >= cycle)
        {
            position -= cycle;
            cycle *= _tMult;
        }

        return CosineAnnealingLr.Anneal(_baseLr, _etaMin, (double)position, (double)cycle);
    }
}
