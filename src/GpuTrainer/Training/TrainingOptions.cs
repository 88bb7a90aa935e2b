using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>Everything that defines a training run except the data and the device; unset values are <see cref="RecipeDefaults"/>'.</summary>
public sealed record TrainingOptions
{
    public OptimizerKind Optimizer { get; init; } = OptionNames.Optimizer(RecipeDefaults.OptimizerName);

    /// <summary>Learning rate for each step; a fixed rate is <c>new FixedLr(lr)</c>.</summary>
    public required ILrSchedule Schedule { get; init; }

    /// <summary>Whether a schedule step is an epoch or a batch.</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = RecipeDefaults.ScheduleUnit;

    public int Epochs { get; init; } = RecipeDefaults.Epochs;
    public int Batch { get; init; } = RecipeDefaults.Batch;
    public double Momentum { get; init; } = RecipeDefaults.Momentum;
    public double WeightDecay { get; init; } = RecipeDefaults.WeightDecay;
    public int Seed { get; init; } = RecipeDefaults.Seed;

    /// <summary>SGD's dampening (PyTorch's default 0; not a CLI option).</summary>
    public double Dampening { get; init; }

    /// <summary>SGD's Nesterov momentum (not a CLI option).</summary>
    public bool Nesterov { get; init; }

    /// <summary>The optimizer these options describe, with PyTorch's defaults for what they do not set.</summary>
    public OptimizerSettings OptimizerSettings => new(Optimizer, Momentum, Dampening, Nesterov, WeightDecay);

    /// <summary>Throws <see cref="OptionsException"/> with one sentence naming the first impossible value (as the CLI option).</summary>
    public void Validate() => Check(Optimizer, Epochs, Batch, Momentum, WeightDecay);

    /// <summary>
    /// The one check of a recipe's numbers, made by <see cref="Validate"/> and by every request before it reads any data:
    /// epochs and batch at least 1, momentum in [0, 1) and for SGD only, weight decay in [0, 1] (the optimizers' ranges).
    /// </summary>
    /// <exception cref="OptionsException">One sentence naming the first impossible value as the CLI option.</exception>
    internal static void Check(OptimizerKind optimizer, int epochs, int batch, double momentum, double weightDecay)
    {
        if (epochs < 1)
        {
            throw new OptionsException($"--epochs must be at least 1, got {epochs}.");
        }

        if (batch < 1)
        {
            throw new OptionsException($"--batch must be at least 1, got {batch}.");
        }

        if (momentum != 0 && optimizer != OptimizerKind.Sgd)
        {
            throw new OptionsException($"Momentum applies to SGD only; {optimizer} has its own moment estimates.");
        }

        InRange(momentum, "--momentum", 1, upperInclusive: false);
        InRange(weightDecay, "--weight-decay", 1, upperInclusive: true);
    }

    private static void InRange(double value, string option, double hi, bool upperInclusive)
    {
        if (!(value >= 0 && (upperInclusive ? value <= hi : value < hi)))
        {
            throw new OptionsException(FormattableString.Invariant($"{option} must be in [0, {hi}{(upperInclusive ? "]" : ")")}, got {value}."));
        }
    }
}
