using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Nn;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>
/// What every request that trains (<see cref="RunRequest"/>, <see cref="LrFinder.LrFindRequest"/>,
/// the study's request) shares: the common recipe, the data, the device and where to write. Its defaults are
/// <see cref="RecipeDefaults"/>'; <see cref="Validate"/> checks a request once, before any data is read or model built, so a
/// program using the library gets the same one-sentence errors as the CLI.
/// </summary>
public abstract record TrainingRequest
{
    /// <summary>Batch size (--batch).</summary>
    public int Batch { get; init; } = RecipeDefaults.Batch;

    /// <summary>SGD momentum (--momentum); refused for Adam, which has its own moment estimates.</summary>
    public double Momentum { get; init; } = RecipeDefaults.Momentum;

    /// <summary>L2 weight decay, decoupled for AdamW (--weight-decay).</summary>
    public double WeightDecay { get; init; } = RecipeDefaults.WeightDecay;

    /// <summary>Seed of initialisation and shuffling (--seed): the same seed gives the same numbers.</summary>
    public int Seed { get; init; } = RecipeDefaults.Seed;

    /// <summary>
    /// The model (--model): a preset name (<see cref="ModelDescription.Presets"/>), a file holding a description, or a
    /// description inline (see <see cref="ModelDescription"/>); the default is LeNet-5.
    /// </summary>
    public string Model { get; init; } = ModelDescription.DefaultName;

    /// <summary>An MNIST-format directory (--data); null for the embedded sample (data/mnist-sample).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Which backend runs it (--device).</summary>
    public DeviceKind Device { get; init; } = Backends.DefaultDevice;

    /// <summary>Threads for the managed CPU backend (--threads); 0 for every core.</summary>
    public int Threads { get; init; } = Backends.DefaultThreads;

    /// <summary>The output folder (--out); null for the request's default under runs/ (see <see cref="RunFolder.DefaultPath"/>).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>
    /// Checks everything that needs no data, so an impossible option fails before any file is read, model built or
    /// folder made: the rate, epochs, batch, momentum, weight decay and the request's own settings (schedule, sweep, grid).
    /// </summary>
    /// <exception cref="ArgumentException">One sentence naming the first impossible value (often an <see cref="OptionsException"/>).</exception>
    public abstract void Validate();

    /// <summary>The check every request makes of the shared recipe, for <paramref name="optimizer"/> at base rate <paramref name="lr"/>.</summary>
    /// <exception cref="OptionsException">One sentence naming the first impossible value.</exception>
    protected void Validate(OptimizerKind optimizer, double lr, int epochs)
    {
        if (!(lr > 0) || !double.IsFinite(lr))
        {
            throw new OptionsException($"The learning rate must be a positive number, got {lr.ToString(CultureInfo.InvariantCulture)}.");
        }

        TrainingOptions.Check(optimizer, epochs, Batch, Momentum, WeightDecay);
        ResolveModel();
    }

    /// <summary>The model <see cref="Model"/> names, parsed (its shapes are checked against the data by <see cref="RunData.CheckModel"/>).</summary>
    /// <exception cref="ArgumentException">One sentence naming an unknown model, layer or argument, or a bad value.</exception>
    public ModelDescription ResolveModel() => ModelDescription.Resolve(Model);

    /// <summary>The trainer's options: this request's shared recipe with <paramref name="optimizer"/> and <paramref name="schedule"/> (checked by <see cref="Validate()"/>).</summary>
    protected TrainingOptions Options(OptimizerKind optimizer, ILrSchedule schedule, ScheduleUnit unit, int epochs) => new()
    {
        Optimizer = optimizer,
        Schedule = schedule,
        ScheduleUnit = unit,
        Epochs = epochs,
        Batch = Batch,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        Seed = Seed,
    };
}
