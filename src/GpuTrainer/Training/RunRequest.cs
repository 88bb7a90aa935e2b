using System.Globalization;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>
/// One training run as the CLI (or any program) asks for it, with <see cref="RecipeDefaults"/> (the reference study's
/// recipe: StepLR halving every 500 batches, 30 epochs, its best rates). <see cref="TrainingRun.Execute"/> checks it
/// (<see cref="Validate()"/>), loads the data and resolves it (<see cref="Training"/>): the schedule's length in batches
/// needs the training split's size.
/// </summary>
public sealed record RunRequest : TrainingRequest
{
    public RunRequest()
    {
    }

    /// <summary>A run with <paramref name="shared"/>'s shared settings (a study's runs take the study's).</summary>
    internal RunRequest(TrainingRequest shared)
        : base(shared)
    {
    }

    /// <summary>The optimizer (--opt).</summary>
    public OptimizerKind Optimizer { get; init; } = OptionNames.Optimizer(RecipeDefaults.OptimizerName);

    /// <summary>The base learning rate (--lr); null for <see cref="RecipeDefaults.Lr"/> of the optimizer.</summary>
    public double? Lr { get; init; }

    /// <summary>
    /// The schedule (--sched and its options); build it with <see cref="RecipeDefaults.Schedule"/> and this request's
    /// <see cref="ScheduleUnit"/> to get the step defaults (every 500 batches, or every epoch).
    /// </summary>
    public NamedSchedule Schedule { get; init; } = RecipeDefaults.Schedule(RecipeDefaults.ScheduleName, null, RecipeDefaults.ScheduleUnit);

    /// <summary>What one schedule step counts (--sched-unit).</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = RecipeDefaults.ScheduleUnit;

    /// <summary>Epochs to train (--epochs).</summary>
    public int Epochs { get; init; } = RecipeDefaults.Epochs;

    /// <summary>The base rate the run uses: <see cref="Lr"/>, or the default for the optimizer.</summary>
    public double LearningRate => Lr ?? RecipeDefaults.Lr(Optimizer);

    /// <summary>"lr 0.0054723, step (size 500, gamma 0.5) per batch", for the log and the summary.</summary>
    public string Description =>
        string.Create(CultureInfo.InvariantCulture, $"lr {LearningRate:G6}, {Schedule.Label} per {ScheduleUnit.ToString().ToLowerInvariant()}");

    /// <summary>This request as checkpoints keep it (<see cref="Checkpoints.RunRecipe.ToRequest"/> rebuilds it).</summary>
    public Checkpoints.RunRecipe StoredRecipe() => new(
        Optimizer, LearningRate, Schedule.Name, Schedule.Options, ScheduleUnit, Epochs, Batch, Momentum, WeightDecay, Seed, DataDirectory, Description, ResolveModel().Text);

    /// <summary>Where the run goes without --out: runs/&lt;time&gt;-&lt;opt&gt;-&lt;sched&gt;.</summary>
    public string DefaultOutputDirectory() => RunFolder.DefaultPath($"{RunFolder.Stamp()}-{OptionNames.Of(Optimizer)}-{Schedule.Name}");

    /// <summary>
    /// The shared recipe and the schedule: per epoch fully; per batch everything but what depends on the run's length in
    /// batches (a warmup longer than the run, onecycle's phases), which needs the data and is checked by <see cref="Training"/>.
    /// </summary>
    /// <inheritdoc/>
    public override void Validate()
    {
        Validate(Optimizer, LearningRate, Epochs);
        if (ScheduleUnit == ScheduleUnit.Epoch)
        {
            Schedule.Create(LearningRate, Epochs);
        }
        else
        {
            Schedule.Check(LearningRate);
        }
    }

    /// <summary>The trainer's options for a training split of <paramref name="trainImages"/> images (call <see cref="Validate()"/> first).</summary>
    /// <exception cref="ArgumentException">The schedule does not fit the run's length in batches.</exception>
    public TrainingOptions Training(int trainImages)
    {
        var steps = ScheduleUnit == ScheduleUnit.Epoch ? Epochs : (long)Epochs * Data.BatchLoader.CountBatches(trainImages, Batch);
        return Options(Optimizer, Schedule.Create(LearningRate, steps), ScheduleUnit, Epochs);
    }
}
