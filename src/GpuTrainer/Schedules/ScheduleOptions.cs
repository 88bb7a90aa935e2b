namespace GpuTrainer.Schedules;

/// <summary>
/// The parameters <see cref="ScheduleFactory"/> builds a schedule from. Leave an option null to take its
/// default; setting an option the chosen schedule does not take is an error. Defaults are stated in terms of
/// D, the decay length: the run's total scheduler steps minus <see cref="WarmupSteps"/>; the constant ones are
/// <see cref="ScheduleFactory"/>'s constants.
/// </summary>
public sealed record ScheduleOptions
{
    /// <summary>step: steps between decays. Default max(1, D / 3).</summary>
    public long? StepSize { get; init; }

    /// <summary>step: decay factor, default <see cref="ScheduleFactory.StepGamma"/>; multistep: <see cref="ScheduleFactory.MultiStepGamma"/>. exponential: per-step factor, default <see cref="ScheduleFactory.ExponentialFinalFraction"/>^(1/D).</summary>
    public double? Gamma { get; init; }

    /// <summary>multistep: strictly increasing steps at which to decay. Default D/2 and 3D/4 (at least 1; a repeat is dropped).</summary>
    public IReadOnlyList<long>? Milestones { get; init; }

    /// <summary>cosine: steps from the base lr down to <see cref="EtaMin"/>. Default D.</summary>
    public long? TMax { get; init; }

    /// <summary>cosine, cosine-restarts: the lowest lr. Default <see cref="ScheduleFactory.EtaMin"/>.</summary>
    public double? EtaMin { get; init; }

    /// <summary>cosine-restarts: length of the first cycle. Default max(1, D / 4).</summary>
    public long? T0 { get; init; }

    /// <summary>cosine-restarts: factor by which each cycle is longer than the last. Default <see cref="ScheduleFactory.TMult"/>.</summary>
    public long? TMult { get; init; }

    /// <summary>poly: steps to decay to zero. Default D.</summary>
    public long? TotalIters { get; init; }

    /// <summary>poly: exponent of the decay. Default <see cref="ScheduleFactory.Power"/>.</summary>
    public double? Power { get; init; }

    /// <summary>onecycle: length of the cycle (its peak lr is the base lr). Default D.</summary>
    public long? TotalSteps { get; init; }

    /// <summary>onecycle: fraction of the cycle spent rising. Default <see cref="ScheduleFactory.PctStart"/>.</summary>
    public double? PctStart { get; init; }

    /// <summary>onecycle: shape of each phase. Default <see cref="OneCycleAnneal.Cos"/>.</summary>
    public OneCycleAnneal? Anneal { get; init; }

    /// <summary>onecycle: the cycle starts at base lr / DivFactor. Default <see cref="ScheduleFactory.DivFactor"/>.</summary>
    public double? DivFactor { get; init; }

    /// <summary>onecycle: the cycle ends at its starting lr / FinalDivFactor. Default <see cref="ScheduleFactory.FinalDivFactor"/>.</summary>
    public double? FinalDivFactor { get; init; }

    /// <summary>onecycle: descend to the starting lr before the final anneal (fastai's three phases). Default false.</summary>
    public bool? ThreePhase { get; init; }

    /// <summary>Any schedule: steps of linear warmup put in front of it (see <see cref="LinearWarmup"/>). Default 0, none.</summary>
    public long? WarmupSteps { get; init; }

    /// <summary>With warmup: the first warmup lr as a fraction of the schedule's first lr. Default <see cref="ScheduleFactory.WarmupStartFactor"/>.</summary>
    public double? WarmupStartFactor { get; init; }

    /// <summary>The names of the options that are set, as the factory's messages spell them.</summary>
    internal IEnumerable<string> SetOptions()
    {
        (string Name, bool Set)[] options =
        [
            (nameof(StepSize), StepSize is not null), (nameof(Gamma), Gamma is not null),
            (nameof(Milestones), Milestones is not null), (nameof(TMax), TMax is not null),
            (nameof(EtaMin), EtaMin is not null), (nameof(T0), T0 is not null), (nameof(TMult), TMult is not null),
            (nameof(TotalIters), TotalIters is not null), (nameof(Power), Power is not null),
            (nameof(TotalSteps), TotalSteps is not null), (nameof(PctStart), PctStart is not null),
            (nameof(Anneal), Anneal is not null), (nameof(DivFactor), DivFactor is not null),
            (nameof(FinalDivFactor), FinalDivFactor is not null), (nameof(ThreePhase), ThreePhase is not null),
            (nameof(WarmupSteps), WarmupSteps is not null), (nameof(WarmupStartFactor), WarmupStartFactor is not null),
        ];
        return options.Where(o => o.Set).Select(o => o.Name);
    }
}
