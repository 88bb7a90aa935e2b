namespace GpuTrainer.Schedules;

/// <summary>
/// Builds a schedule from its name and a <see cref="ScheduleOptions"/> record, for the CLI and the LR study.
/// Names: fixed, step, multistep, exponential, cosine, cosine-restarts, poly, onecycle; any of them may be
/// preceded by a linear warmup (<see cref="ScheduleOptions.WarmupSteps"/>).
/// </summary>
public static class ScheduleFactory
{
    /// <summary>step: the decay factor when none is given: halve the rate (the reference study's StepLR; PyTorch's default is 0.1).</summary>
    public const double StepGamma = 0.5;

    /// <summary>multistep: the decay factor when none is given (PyTorch's).</summary>
    public const double MultiStepGamma = 0.1;

    /// <summary>exponential: the fraction of the base rate reached at the end of the decay when no gamma is given.</summary>
    public const double ExponentialFinalFraction = 0.01;

    /// <summary>cosine, cosine-restarts: the lowest rate; cosine-restarts: the cycle growth; poly: the exponent (when not given).</summary>
    public const double EtaMin = 0, Power = 1;

    /// <inheritdoc cref="EtaMin"/>
    public const long TMult = 1;

    /// <summary>onecycle's defaults (PyTorch's): fraction rising, start = peak / DivFactor, end = start / FinalDivFactor.</summary>
    public const double PctStart = 0.3, DivFactor = 25, FinalDivFactor = 1e4;

    /// <summary>With warmup: the first warmup rate as a fraction of the schedule's first rate (when not given).</summary>
    public const double WarmupStartFactor = 1.0 / 3;

    private static readonly Dictionary<string, string[]> Takes = new()
    {
        ["fixed"] = [],
        ["step"] = [nameof(ScheduleOptions.StepSize), nameof(ScheduleOptions.Gamma)],
        ["multistep"] = [nameof(ScheduleOptions.Milestones), nameof(ScheduleOptions.Gamma)],
        ["exponential"] = [nameof(ScheduleOptions.Gamma)],
        ["cosine"] = [nameof(ScheduleOptions.TMax), nameof(ScheduleOptions.EtaMin)],
        ["cosine-restarts"] = [nameof(ScheduleOptions.T0), nameof(ScheduleOptions.TMult), nameof(ScheduleOptions.EtaMin)],
        ["poly"] = [nameof(ScheduleOptions.TotalIters), nameof(ScheduleOptions.Power)],
        ["onecycle"] =
        [
            nameof(ScheduleOptions.TotalSteps), nameof(ScheduleOptions.PctStart), nameof(ScheduleOptions.Anneal),
            nameof(ScheduleOptions.DivFactor), nameof(ScheduleOptions.FinalDivFactor), nameof(ScheduleOptions.ThreePhase),
        ],
    };

    /// <summary>Every schedule name <see cref="Create"/> accepts, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Takes.Keys];

    /// <summary>
    /// The schedule <paramref name="name"/> starting at <paramref name="baseLr"/> (the peak for onecycle) for a run
    /// of <paramref name="totalSteps"/> scheduler steps, warmup included. Throws <see cref="ArgumentException"/>
    /// with one sentence for an unknown name, an option the schedule does not take, or an option out of range.
    /// </summary>
    public static ILrSchedule Create(string name, double baseLr, long totalSteps, ScheduleOptions options)
    {
        ScheduleChecks.AtLeast(totalSteps, nameof(totalSteps), 1);
        var warmup = Applicable(name, options);
        ScheduleChecks.InRange(warmup, nameof(ScheduleOptions.WarmupSteps), 0, totalSteps - 1);
        var schedule = Build(name, baseLr, totalSteps - warmup, options);
        return warmup == 0 ? schedule : new LinearWarmup(schedule, warmup, options.WarmupStartFactor ?? WarmupStartFactor);
    }

    /// <summary>
    /// Refuses, before the run's length is known, what <see cref="Create"/> would refuse whatever the length: an unknown
    /// name, an option the schedule does not take, an option out of its range (the ranges the schedules' constructors
    /// check; the length-bound ones, a warmup within the run and onecycle's phases, wait for <see cref="Create"/>).
    /// </summary>
    /// <exception cref="ArgumentException">One sentence, as <see cref="Create"/> throws it.</exception>
    public static void Check(string name, double baseLr, ScheduleOptions options)
    {
        ScheduleChecks.AtLeast(Applicable(name, options), nameof(ScheduleOptions.WarmupSteps), 0);
        ScheduleChecks.Positive(baseLr, nameof(baseLr));
        var o = options;
        void AtLeastOne(long? value, string what) => ScheduleChecks.AtLeast(value ?? 1, what, 1);
        void Positive(double? value, string what) => ScheduleChecks.Positive(value ?? 1, what);
        AtLeastOne(o.StepSize, "stepSize");
        AtLeastOne(o.TMax, "tMax");
        AtLeastOne(o.T0, "t0");
        AtLeastOne(o.TMult, "tMult");
        AtLeastOne(o.TotalIters, "totalIters");
        AtLeastOne(o.TotalSteps, "totalSteps");
        ScheduleChecks.InRange(o.Gamma ?? 1, "gamma", 0, 1, loOpen: true);
        ScheduleChecks.InRange(o.EtaMin ?? 0, "etaMin", 0, baseLr);
        Positive(o.Power, "power");
        ScheduleChecks.InRange(o.PctStart ?? 0, "pctStart", 0, 1);
        Positive(o.DivFactor, "divFactor");
        Positive(o.FinalDivFactor, "finalDivFactor");
        ScheduleChecks.InRange(o.WarmupStartFactor ?? 1, "startFactor", 0, 1, loOpen: true);
        if (o.Anneal is { } anneal && !Enum.IsDefined(anneal))
        {
            throw new ArgumentException($"anneal must be Cos or Linear, got {anneal}.");
        }

        if (o.Milestones is { } m)
        {
            _ = new MultiStepLr(baseLr, m, o.Gamma ?? MultiStepGamma);   // checks the milestones
        }
    }

    /// <summary>Refuses an unknown name, an option <paramref name="name"/> does not take, and a warmup start without warmup.</summary>
    /// <returns>The warmup steps, 0 without warmup.</returns>
    private static long Applicable(string name, ScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Takes.TryGetValue(name, out var takes))
        {
            throw new ArgumentException($"Unknown schedule '{name}'; expected one of {string.Join(", ", Names)}.");
        }

        foreach (var option in options.SetOptions())
        {
            if (!takes.Contains(option) && option != nameof(ScheduleOptions.WarmupSteps) && option != nameof(ScheduleOptions.WarmupStartFactor))
            {
                var accepted = takes.Length == 0 ? "none" : string.Join(", ", takes);
                throw new ArgumentException($"{option} does not apply to the '{name}' schedule (it takes: {accepted}).");
            }
        }

        var warmup = options.WarmupSteps ?? 0;
        if (warmup == 0 && options.WarmupStartFactor is not null)
        {
            throw new ArgumentException($"{nameof(ScheduleOptions.WarmupStartFactor)} applies only with {nameof(ScheduleOptions.WarmupSteps)} of at least 1.");
        }

        return warmup;
    }

    // d = decay length: the steps after warmup.
    private static ILrSchedule Build(string name, double baseLr, long d, ScheduleOptions o) => name switch
    {
        "fixed" => new FixedLr(baseLr),
        "step" => new StepLr(baseLr, o.StepSize ?? Math.Max(1, d / 3), o.Gamma ?? StepGamma),
        "multistep" => new MultiStepLr(baseLr, o.Milestones ?? [.. new[] { Math.Max(1, d / 2), Math.Max(1, 3 * d / 4) }.Distinct()], o.Gamma ?? MultiStepGamma),
        "exponential" => new ExponentialLr(baseLr, o.Gamma ?? Math.Pow(ExponentialFinalFraction, 1.0 / d)),
        "cosine" => new CosineAnnealingLr(baseLr, o.TMax ?? d, o.EtaMin ?? EtaMin),
        "cosine-restarts" => new CosineAnnealingWarmRestarts(baseLr, o.T0 ?? Math.Max(1, d / 4), o.TMult ?? TMult, o.EtaMin ?? EtaMin),
        "poly" => new PolynomialLr(baseLr, o.TotalIters ?? d, o.Power ?? Power),
        _ => new OneCycleLr(
            baseLr, o.TotalSteps ?? d, o.PctStart ?? PctStart, o.Anneal ?? OneCycleAnneal.Cos,
            o.DivFactor ?? DivFactor, o.FinalDivFactor ?? FinalDivFactor, o.ThreePhase ?? false),
    };
}
