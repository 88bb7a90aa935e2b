using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>
/// Option values by name, as the CLI (or a config file) spells them, and back; an unknown name throws an
/// <see cref="OptionsException"/> that lists the accepted ones. Names are trimmed and case-insensitive.
/// </summary>
public static class OptionNames
{
    /// <summary>"sgd", "adam" or "adamw".</summary>
    public static OptimizerKind Optimizer(string name) => Key(name) switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        _ => throw new OptionsException($"Unknown optimizer '{name}'; use sgd, adam or adamw."),
    };

    /// <summary>The name <see cref="Optimizer(string)"/> reads: "sgd", "adam" or "adamw".</summary>
    public static string Of(OptimizerKind optimizer) => optimizer.ToString().ToLowerInvariant();

    /// <summary>"epoch" or "batch".</summary>
    public static ScheduleUnit ScheduleUnit(string name) => Key(name) switch
    {
        "epoch" => Training.ScheduleUnit.Epoch,
        "batch" => Training.ScheduleUnit.Batch,
        _ => throw new OptionsException($"Unknown --sched-unit '{name}'; use epoch or batch."),
    };

    /// <summary>"exp" or "linear".</summary>
    public static LrSweepMode SweepMode(string name) => Key(name) switch
    {
        "exp" => LrSweepMode.Exponential,
        "linear" => LrSweepMode.Linear,
        _ => throw new OptionsException($"Unknown --mode '{name}'; use exp or linear."),
    };

    /// <summary>"cos" or "linear".</summary>
    public static OneCycleAnneal Anneal(string name) => Key(name) switch
    {
        "cos" => OneCycleAnneal.Cos,
        "linear" => OneCycleAnneal.Linear,
        _ => throw new OptionsException($"Unknown --anneal '{name}'; use cos or linear."),
    };

    /// <summary>The names of a comma-separated list such as "sgd,adam", lower-cased; an empty list names <paramref name="option"/>.</summary>
    public static IReadOnlyList<string> List(string value, string option)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Key).ToList();
        return items.Count > 0 ? items : throw new OptionsException($"{option} needs at least one name.");
    }

    private static string Key(string name) => name.Trim().ToLowerInvariant();
}
