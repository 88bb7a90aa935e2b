namespace GpuTrainer.Schedules;

/// <summary>
/// Builds a schedule from its name and a <see cref="ScheduleOptions"/> record, for the CLI and the LR study.
/// Names: fixed, step, multistep, exponential, cosine, cosine-restarts, poly, onecycle; any of them may be
/// preceded by a linear warmup (<see cref="ScheduleOptions.WarmupSteps"/>).
/// </summary>
public static class ScheduleFactory
{
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

        ScheduleChecks.AtLeast(totalSteps, nameof(totalSteps), 1);
        var warmup = options.WarmupSteps ?? 0;
        ScheduleChecks.InRange(warmup, nameof(ScheduleOptions.WarmupSteps), 0, totalSteps - 1);
        if (warmup == 0 && options.WarmupStartFactor is not null)
        {
            throw new ArgumentException($"{nameof(ScheduleOptions.WarmupStartFactor)} applies only with {nameof(ScheduleOptions.WarmupSteps)} of at least 1.");
        }

        var schedule = Build(name, baseLr, totalSteps - warmup, options);
        return warmup == 0 ? schedule : new LinearWarmup(schedule, warmup, options.WarmupStartFactor ?? 1.0 / 3);
    }

    // d = decay length: the steps after warmup.
    private static ILrSchedule Build(string name, double baseLr, long d, ScheduleOptions o) => name switch
    {
        "fixed" => new FixedLr(baseLr),
        "step" => new StepLr(baseLr, o.StepSize ?? Math.Max(1, d / 3), o.Gamma ?? 0.1),
        "multistep" => new MultiStepLr(baseLr, o.Milestones ?? [.. new[] { Math.Max(1, d / 2), Math.Max(1, 3 * d / 4) }.Distinct()], o.Gamma ?? 0.1),
        "exponential" => new ExponentialLr(baseLr, o.Gamma ?? Math.Pow(0.01, 1.0 / d)),
        "cosine" => new CosineAnnealingLr(baseLr, o.TMax ?? d, o.EtaMin ?? 0),
        "cosine-restarts" => new CosineAnnealingWarmRestarts(baseLr, o.T0 ?? Math.Max(1, d / 4), o.TMult ?? 1, o.EtaMin ?? 0),
        "poly" => new PolynomialLr(baseLr, o.TotalIters ?? d, o.Power ?? 1),
        _ => new OneCycleLr(
            baseLr, o.TotalSteps ?? d, o.PctStart ?? 0.3, o.Anneal ?? OneCycleAnneal.Cos,
            o.DivFactor ?? 25, o.FinalDivFactor ?? 1e4, o.ThreePhase ?? false),
    };
}
