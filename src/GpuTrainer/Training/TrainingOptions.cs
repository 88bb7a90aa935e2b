using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>Everything that defines a training run except the data and the device.</summary>
public sealed record TrainingOptions
{
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Learning rate for each step; a fixed rate is <c>new FixedLr(lr)</c>.</summary>
    public required ILrSchedule Schedule { get; init; }

    /// <summary>Whether a schedule step is an epoch or a batch.</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = ScheduleUnit.Epoch;

    public int Epochs { get; init; } = 15;
    public int Batch { get; init; } = 128;
    public double Momentum { get; init; }
    public double WeightDecay { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>SGD's dampening (PyTorch's default 0; not a CLI option).</summary>
    public double Dampening { get; init; }

    /// <summary>SGD's Nesterov momentum (not a CLI option).</summary>
    public bool Nesterov { get; init; }

    /// <summary>The optimizer these options describe, with PyTorch's defaults for what they do not set.</summary>
    public OptimizerSettings OptimizerSettings => new(Optimizer, Momentum, Dampening, Nesterov, WeightDecay);

    /// <summary>Throws <see cref="OptionsException"/> with one sentence naming the first impossible value (as the CLI option).</summary>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new OptionsException($"--epochs must be at least 1, got {Epochs}.");
        }

        if (Batch < 1)
        {
            throw new OptionsException($"--batch must be at least 1, got {Batch}.");
        }

        if (Momentum != 0 && Optimizer != OptimizerKind.Sgd)
        {
            throw new OptionsException($"Momentum applies to SGD only; {Optimizer} has its own moment estimates.");
        }
    }
}
