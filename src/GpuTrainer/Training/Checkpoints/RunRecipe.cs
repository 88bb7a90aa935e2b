using System.Text.Json;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training.Checkpoints;

/// <summary>
/// A run's recipe in a form that can be stored and rebuilt: everything <see cref="TrainingOptions"/> holds, with the
/// schedule as its <see cref="ScheduleFactory"/> name and options instead of a built <see cref="ILrSchedule"/>.
/// A checkpoint keeps it, so <c>run --resume</c> needs nothing but the run folder.
/// </summary>
/// <param name="Optimizer">sgd, adam or adamw.</param>
/// <param name="Lr">The base learning rate (onecycle: the peak).</param>
/// <param name="Schedule">A <see cref="ScheduleFactory"/> name.</param>
/// <param name="ScheduleOptions">The schedule's options (unset ones take the factory's defaults).</param>
/// <param name="ScheduleUnit">Whether a schedule step is an epoch or a batch.</param>
/// <param name="Epochs">Epochs of the whole run.</param>
/// <param name="Batch">Batch size.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="WeightDecay">Weight decay (decoupled for AdamW).</param>
/// <param name="Seed">Initialisation and shuffling seed.</param>
/// <param name="Data">The data directory (or data set name); null for the embedded sample.</param>
/// <param name="Description">How the schedule was asked for, for the log and the summary.</param>
/// <param name="Model">The model's canonical description (<see cref="Nn.ModelDescription.Text"/>); null in recipes stored before models were described: LeNet-5.</param>
public sealed record RunRecipe(
    OptimizerKind Optimizer, double Lr, string Schedule, ScheduleOptions ScheduleOptions, ScheduleUnit ScheduleUnit,
    int Epochs, int Batch, double Momentum, double WeightDecay, int Seed, string? Data, string Description, string? Model = null)
{
    /// <summary>The run request this recipe was stored from (device, threads and folder at their defaults).</summary>
    public RunRequest ToRequest() => new()
    {
        Optimizer = Optimizer,
        Lr = Lr,
        Schedule = new NamedSchedule(Schedule, ScheduleOptions),
        ScheduleUnit = ScheduleUnit,
        Epochs = Epochs,
        Batch = Batch,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        Seed = Seed,
        DataDirectory = Data,
        Model = Model ?? Nn.ModelDescription.LeNet5.Text,
    };

    /// <summary>True when <paramref name="other"/> trains the same way (the number of epochs may differ: a run may be extended).</summary>
    public bool SameTrainingAs(RunRecipe other) =>
        JsonSerializer.Serialize(Comparable(this), CheckpointFile.Json) == JsonSerializer.Serialize(Comparable(other), CheckpointFile.Json);

    // The epochs aside, and an older recipe's missing model read as LeNet-5's.
    private static RunRecipe Comparable(RunRecipe r) => r with { Epochs = 0, Model = r.Model ?? Nn.ModelDescription.LeNet5.Text };
}
