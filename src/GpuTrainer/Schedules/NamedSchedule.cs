using System.Globalization;

namespace GpuTrainer.Schedules;

/// <summary>
/// A schedule as a run or a study asks for it: a <see cref="ScheduleFactory"/> name and its options, not yet bound to a
/// base rate or a run length (unset options take the factory's defaults when the schedule is created).
/// </summary>
/// <param name="Name">fixed, step, multistep, exponential, cosine, cosine-restarts, poly or onecycle.</param>
/// <param name="Options">The schedule's options.</param>
public sealed record NamedSchedule(string Name, ScheduleOptions Options)
{
    /// <summary>The step schedule's default in runs and studies: multiply the rate by <see cref="DefaultStepGamma"/> every schedule step (the reference study's StepLR).</summary>
    public const long DefaultStepSize = 1;

    /// <inheritdoc cref="DefaultStepSize"/>
    public const double DefaultStepGamma = 0.5;

    /// <summary>
    /// The schedule <paramref name="name"/> (trimmed, lower-cased) with <paramref name="options"/>; for step, an unset
    /// size or gamma takes <see cref="DefaultStepSize"/> and <see cref="DefaultStepGamma"/> (halve the rate every epoch).
    /// </summary>
    public static NamedSchedule Of(string name, ScheduleOptions? options = null)
    {
        var key = name.Trim().ToLowerInvariant();
        var o = options ?? new ScheduleOptions();
        return new NamedSchedule(key, key == "step" ? o with { StepSize = o.StepSize ?? DefaultStepSize, Gamma = o.Gamma ?? DefaultStepGamma } : o);
    }

    /// <summary>The schedule at base rate <paramref name="lr"/> for a run of <paramref name="totalSteps"/> schedule steps.</summary>
    public ILrSchedule Create(double lr, long totalSteps) => ScheduleFactory.Create(Name, lr, totalSteps, Options);

    /// <summary>"step (size 1, gamma 0.5)": the name, for step its size and gamma, and any warmup.</summary>
    public string Label
    {
        get
        {
            var details = Options.StepSize is { } size && Options.Gamma is { } gamma ? $" (size {size}, gamma {gamma})" : "";
            var warmup = Options.WarmupSteps is { } w ? $" after {w} warmup steps" : "";
            return string.Create(CultureInfo.InvariantCulture, $"{Name}{details}{warmup}");
        }
    }
}
