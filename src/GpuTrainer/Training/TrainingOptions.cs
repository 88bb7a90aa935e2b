using GpuTrainer.Nn;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Study;

namespace GpuTrainer.Training;

/// <summary>Everything that defines a training run except the data and the device; defaults from the <see cref="ReferenceStudy"/>.</summary>
public sealed record TrainingOptions
{
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Learning rate for each step; a fixed rate is <c>new ConstantLr(lr)</c>.</summary>
    public required ILrSchedule Schedule { get; init; }

    /// <summary>Whether a schedule step is an epoch or a batch (default batch, as the reference's StepLR).</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = ReferenceStudy.StepUnit;

    public int Epochs { get; init; } = ReferenceStudy.Epochs;
    public int Batch { get; init; } = ReferenceStudy.Batch;
    public double Momentum { get; init; }
    public double WeightDecay { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> with one sentence naming the first impossible value.</summary>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentException($"The number of epochs must be at least 1, got {Epochs}.");
        }

        if (Batch < 1)
        {
            throw new ArgumentException($"The batch size must be at least 1, got {Batch}.");
        }

        if (Momentum != 0 && Optimizer != OptimizerKind.Sgd)
        {
            throw new ArgumentException($"Momentum applies to SGD only; {Optimizer} has its own moment estimates.");
        }
    }

    internal IOptimizer CreateOptimizer(Sequential model) => Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(model, Momentum, weightDecay: WeightDecay),
        OptimizerKind.Adam => new Adam(model, weightDecay: WeightDecay),
        OptimizerKind.AdamW => new Adam(model, weightDecay: WeightDecay, decoupled: true),
        _ => throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimizer."),
    };
}
