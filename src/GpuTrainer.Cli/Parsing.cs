using System.Globalization;
using GpuTrainer.Compute.SelfTest;
using GpuTrainer.Data;
using GpuTrainer.Schedules;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Cli;

/// <summary>Option values to library types, with one-sentence errors for impossible values.</summary>
public static class Parsing
{
    /// <summary>The step schedule's CLI defaults: halve the rate every schedule step (the reference study's StepLR).</summary>
    public const long DefaultStepSize = 1;

    /// <inheritdoc cref="DefaultStepSize"/>
    public const double DefaultStepGamma = 0.5;

    public static OptimizerKind Optimizer(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        _ => throw new OptionsException($"Unknown optimizer '{name}'; use sgd, adam or adamw."),
    };

    public static CheckSize Size(string name) => name.Trim().ToLowerInvariant() switch
    {
        "small" => CheckSize.Small,
        "full" => CheckSize.Full,
        _ => throw new OptionsException($"Unknown --size '{name}'; use small or full."),
    };

    public static ScheduleUnit Unit(string name) => name.Trim().ToLowerInvariant() switch
    {
        "epoch" => ScheduleUnit.Epoch,
        "batch" => ScheduleUnit.Batch,
        _ => throw new OptionsException($"Unknown --sched-unit '{name}'; use epoch or batch."),
    };

    /// <summary>The recipe of a run of <paramref name="epochs"/> epochs at base rate <paramref name="lr"/>, checked.</summary>
    public static RunRecipe Recipe(ScheduleArgs o, OptimizerKind optimizer, double lr, int epochs)
    {
        if (!(lr > 0) || !double.IsFinite(lr))
        {
            throw new OptionsException($"The learning rate must be a positive number, got {lr.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (epochs < 1)
        {
            throw new OptionsException($"--epochs must be at least 1, got {epochs}.");
        }

        if (o.Batch < 1)
        {
            throw new OptionsException($"--batch must be at least 1, got {o.Batch}.");
        }

        return new RunRecipe(
            optimizer, lr, o.Schedule.Trim().ToLowerInvariant(), Schedule(o), Unit(o.ScheduleUnit), epochs,
            o.Batch, o.Momentum, o.WeightDecay, o.Seed, o.Data, DescribeSchedule(o, lr));
    }

    /// <summary>The training options <paramref name="recipe"/> stands for (a per-batch schedule needs the train split's size).</summary>
    public static TrainingOptions Training(RunRecipe recipe, TrainOptions o) =>
        recipe.ToTrainingOptions(recipe.ScheduleUnit == ScheduleUnit.Epoch ? 0 : BatchesPerEpoch(o));

    /// <summary>The factory options; step keeps the CLI's documented defaults (size 1, gamma 0.5: halve every epoch).</summary>
    public static ScheduleOptions Schedule(ScheduleArgs o)
    {
        var isStep = o.Schedule.Trim().Equals("step", StringComparison.OrdinalIgnoreCase);
        return new ScheduleOptions
        {
            StepSize = o.StepSize ?? (isStep ? DefaultStepSize : null),
            Gamma = o.Gamma ?? (isStep ? DefaultStepGamma : null),
            Milestones = o.Milestones?.ToList() is { Count: > 0 } m ? m : null,
            TMax = o.TMax,
            EtaMin = o.EtaMin,
            T0 = o.T0,
            TMult = o.TMult,
            Power = o.Power,
            TotalIters = o.TotalIters,
            PctStart = o.PctStart,
            Anneal = o.Anneal is null ? null : Anneal(o.Anneal),
            DivFactor = o.DivFactor,
            FinalDivFactor = o.FinalDivFactor,
            ThreePhase = o.ThreePhase ? true : null,
            WarmupSteps = o.Warmup,
            WarmupStartFactor = o.WarmupStart,
        };
    }

    /// <summary>"lr 0.0054723, step (size 1, gamma 0.5) per epoch" for logs and summaries.</summary>
    public static string DescribeSchedule(ScheduleArgs o, double lr)
    {
        var s = Schedule(o);
        var details = s.StepSize is { } size && s.Gamma is { } gamma ? $" (size {size}, gamma {gamma})" : "";
        var warmup = s.WarmupSteps is { } w ? $" after {w} warmup steps" : "";
        return string.Create(CultureInfo.InvariantCulture, $"lr {lr:G6}, {o.Schedule.Trim().ToLowerInvariant()}{details}{warmup} per {Unit(o.ScheduleUnit).ToString().ToLowerInvariant()}");
    }

    private static OneCycleAnneal Anneal(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cos" => OneCycleAnneal.Cos,
        "linear" => OneCycleAnneal.Linear,
        _ => throw new OptionsException($"Unknown --anneal '{name}'; use cos or linear."),
    };

    private static long BatchesPerEpoch(TrainOptions o)
    {
        var count = MnistDataset.LoadSplit(DataLocation.Resolve(o.Data), train: true).Count;
        return TrainingRun.BatchesPerEpoch(count, o.Batch);
    }
}
