using System.Globalization;

namespace GpuTrainer.Schedules;

/// <summary>
/// A schedule as a run or a study asks for it: a <see cref="ScheduleFactory"/> name and its options, not yet bound to a
/// base rate or a run length (unset options take the factory's defaults when the schedule is created). The training
/// recipe fills in the step schedule's size and gamma, which depend on what a schedule step counts.
/// </summary>
/// <param name="Name">fixed, step, multistep, exponential, cosine, cosine-restarts, poly or onecycle.</param>
/// <param name="Options">The schedule's options.</param>
public sealed record NamedSchedule(string Name, ScheduleOptions Options)
{
    /// <summary>The schedule <paramref name="name"/> (trimmed, lower-cased) with <paramref name="options"/> (null for none).</summary>
    public static NamedSchedule Of(string name, ScheduleOptions? options = null) => new(name.Trim().ToLowerInvariant(), options ?? new ScheduleOptions());

    /// <summary>The schedule at base rate <paramref name="lr"/> for a run of <paramref name="totalSteps"/> schedule steps.</summary>
    public ILrSchedule Create(double lr, long totalSteps) => ScheduleFactory.Create(Name, lr, totalSteps, Options);

    /// <summary>Refuses, whatever the run's length, what <see cref="Create"/> would refuse (see <see cref="ScheduleFactory.Check"/>).</summary>
    public void Check(double lr) => ScheduleFactory.Check(Name, lr, Options);

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
