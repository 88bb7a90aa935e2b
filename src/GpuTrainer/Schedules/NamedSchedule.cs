using System.Globalization;
using GpuTrainer.Training;

namespace GpuTrainer.Schedules;

/// <summary>
/// A schedule as a run or a study asks for it: a <see cref="ScheduleFactory"/> name and its options, not yet bound to a
/// base rate or a run length (unset options take the factory's defaults when the schedule is created).
/// </summary>
/// <param name="Name">fixed, step, multistep, exponential, cosine, cosine-restarts, poly or onecycle.</param>
/// <param name="Options">The schedule's options.</param>
public sealed record NamedSchedule(string Name, ScheduleOptions Options)
{
    /// <summary>The step schedule's default gamma in runs and studies: halve the rate (the reference study's StepLR).</summary>
    public const double DefaultStepGamma = Study.ReferenceStudy.StepGamma;

    /// <summary>
    /// The step schedule's default size in runs and studies: the reference study's StepLR(500, 0.5) when a schedule step
    /// is a batch (halve every 500 batches), 1 when it is an epoch (halve every epoch).
    /// </summary>
    public static long DefaultStepSize(ScheduleUnit unit) => unit == ScheduleUnit.Batch ? Study.ReferenceStudy.StepSize : 1;

    /// <summary>
    /// The schedule <paramref name="name"/> (trimmed, lower-cased) with <paramref name="options"/>; for step, an unset
    /// size or gamma takes <see cref="DefaultStepSize"/> of <paramref name="unit"/> and <see cref="DefaultStepGamma"/>.
    /// </summary>
    /// <param name="name">The schedule's name.</param>
    /// <param name="options">Its options; null for its defaults.</param>
    /// <param name="unit">What one schedule step of the run counts (by default a batch, as in the reference study).</param>
    public static NamedSchedule Of(string name, ScheduleOptions? options = null, ScheduleUnit unit = Study.ReferenceStudy.StepUnit)
    {
        var key = name.Trim().ToLowerInvariant();
        var o = options ?? new ScheduleOptions();
        return new NamedSchedule(key, key == "step" ? o with { StepSize = o.StepSize ?? DefaultStepSize(unit), Gamma = o.Gamma ?? DefaultStepGamma } : o);
    }

    /// <summary>The schedule at base rate <paramref name="lr"/> for a run of <paramref name="totalSteps"/> schedule steps.</summary>
    public ILrSchedule Create(double lr, long totalSteps) => ScheduleFactory.Create(Name, lr, totalSteps, Options);

    /// <summary>"step (size 500, gamma 0.5)": the name, for step its size and gamma, and any warmup.</summary>
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
