using System.Globalization;
using GpuTrainer.Compute.SelfTest;
using GpuTrainer.Data;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>Option values to library types, with one-sentence errors for impossible values.</summary>
public static class Parsing
{
    /// <summary>
    /// The step schedule's default size: the reference study's 500 when it counts batches (StepLR(500, 0.5) stepped per
    /// batch), 1 when it counts epochs; its gamma is the reference's 0.5 either way.
    /// </summary>
    public static long DefaultStepSize(ScheduleUnit unit) => unit == ScheduleUnit.Batch ? ReferenceStudy.StepSize : 1;

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

    /// <summary>The training options for a run of <paramref name="epochs"/> epochs at base rate <paramref name="lr"/>.</summary>
    public static TrainingOptions Training(ScheduleArgs o, OptimizerKind optimizer, double lr, int epochs)
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

        var unit = Unit(o.ScheduleUnit);
        // Schedule steps in the run: epochs, or batches (the train split's size is needed for that).
        var totalSteps = unit == ScheduleUnit.Epoch ? epochs : epochs * RunData.BatchesPerEpoch(o.Data, o.Batch);
        var schedule = ScheduleFactory.Create(o.Schedule.Trim().ToLowerInvariant(), lr, totalSteps, Schedule(o));
        return new TrainingOptions
        {
            Optimizer = optimizer,
            Schedule = schedule,
            ScheduleUnit = unit,
            Epochs = epochs,
            Batch = o.Batch,
            Momentum = o.Momentum,
            WeightDecay = o.WeightDecay,
            Seed = o.Seed,
        };
    }

    /// <summary>The factory options; step keeps the CLI's documented defaults (<see cref="DefaultStepSize"/>, gamma 0.5).</summary>
    public static ScheduleOptions Schedule(ScheduleArgs o)
    {
        var isStep = o.Schedule.Trim().Equals("step", StringComparison.OrdinalIgnoreCase);
        return new ScheduleOptions
        {
            StepSize = o.StepSize ?? (isStep ? DefaultStepSize(Unit(o.ScheduleUnit)) : null),
            Gamma = o.Gamma ?? (isStep ? ReferenceStudy.StepGamma : null),
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

    /// <summary>"lr 0.0054723, step (size 500, gamma 0.5) per batch" for logs and summaries.</summary>
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
}
