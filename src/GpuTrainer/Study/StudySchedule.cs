using System.Globalization;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>A schedule of the study's grid: a <see cref="ScheduleFactory"/> name and its options (unset ones take the factory's defaults).</summary>
/// <param name="Name">fixed, step, multistep, exponential, cosine, cosine-restarts, poly or onecycle.</param>
/// <param name="Options">The schedule's options; each run's base rate is one of the candidates.</param>
public sealed record StudySchedule(string Name, ScheduleOptions Options)
{
    /// <summary>The schedule at base rate <paramref name="lr"/> for a run of <paramref name="totalSteps"/> schedule steps.</summary>
    public ILrSchedule Create(double lr, long totalSteps) => ScheduleFactory.Create(Name, lr, totalSteps, Options);

    /// <summary>"step (size 1, gamma 0.5)": the name and, for step, its size and gamma.</summary>
    public string Label => Options.StepSize is { } size && Options.Gamma is { } gamma
        ? string.Create(CultureInfo.InvariantCulture, $"{Name} (size {size}, gamma {gamma})")
        : Name;

    /// <summary>"lr 0.038, step (size 1, gamma 0.5) per epoch" for logs and summaries.</summary>
    public string Describe(double lr, ScheduleUnit unit) =>
        string.Create(CultureInfo.InvariantCulture, $"lr {lr:G4}, {Label} per {unit.ToString().ToLowerInvariant()}");
}
