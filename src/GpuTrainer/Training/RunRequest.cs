using System.Globalization;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>
/// One training run as the CLI (or any program) asks for it, with the CLI's defaults: the <see cref="Study.ReferenceStudy"/>'s
/// recipe (StepLR halving every 500 batches, 30 epochs, its best rates). <see cref="TrainingRun.Execute"/>
/// checks it (<see cref="Validate"/>), loads the data and resolves it (<see cref="Training"/>): the schedule's length
/// in batches needs the training split's size.
/// </summary>
public sealed record RunRequest : TrainingRequest
{
    /// <summary>Default <see cref="Optimizer"/>, by name.</summary>
    public const string DefaultOptimizerName = "adam";

    /// <summary>The reference study's best rates (SGD + StepLR, Adam + StepLR): <see cref="Lr"/> when it is not given.</summary>
    public const double DefaultSgdLr = Study.ReferenceStudy.SgdStepLr, DefaultAdamLr = Study.ReferenceStudy.AdamStepLr;

    /// <summary>Default schedule, by name.</summary>
    public const string DefaultScheduleName = "step";

    /// <summary>Default <see cref="ScheduleUnit"/>, by name: the reference study stepped its StepLR after every batch.</summary>
    public const string DefaultScheduleUnitName = "batch";

    /// <summary>Default <see cref="Epochs"/>: the reference study's.</summary>
    public const int DefaultEpochs = Study.ReferenceStudy.Epochs;

    /// <summary>The optimizer (--opt).</summary>
    public OptimizerKind Optimizer { get; init; } = OptionNames.Optimizer(DefaultOptimizerName);

    /// <summary>The base learning rate (--lr); null for <see cref="DefaultLr"/> of the optimizer.</summary>
    public double? Lr { get; init; }

    /// <summary>
    /// The schedule (--sched and its options); build it with <see cref="NamedSchedule.Of"/> and this request's
    /// <see cref="ScheduleUnit"/> to get the step defaults (every 500 batches, or every epoch).
    /// </summary>
    public NamedSchedule Schedule { get; init; } = NamedSchedule.Of(DefaultScheduleName);

    /// <summary>What one schedule step counts (--sched-unit).</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = OptionNames.ScheduleUnit(DefaultScheduleUnitName);

    /// <summary>Epochs to train (--epochs).</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>The base rate the run uses: <see cref="Lr"/>, or the default for the optimizer.</summary>
    public double LearningRate => Lr ?? DefaultLr(Optimizer);

    /// <summary>"lr 0.0054723, step (size 500, gamma 0.5) per batch", for the log and the summary.</summary>
    public string Description =>
        string.Create(CultureInfo.InvariantCulture, $"lr {LearningRate:G6}, {Schedule.Label} per {ScheduleUnit.ToString().ToLowerInvariant()}");

    /// <summary>This request as checkpoints keep it (<see cref="Checkpoints.RunRecipe.ToRequest"/> rebuilds it).</summary>
    public Checkpoints.RunRecipe StoredRecipe() => new(
        Optimizer, LearningRate, Schedule.Name, Schedule.Options, ScheduleUnit, Epochs, Batch, Momentum, WeightDecay, Seed, DataDirectory, Description);

    /// <summary>The rate a run of <paramref name="optimizer"/> uses when none is given.</summary>
    public static double DefaultLr(OptimizerKind optimizer) => optimizer == OptimizerKind.Sgd ? DefaultSgdLr : DefaultAdamLr;

    /// <summary>Where the run goes without --out: runs/&lt;time&gt;-&lt;opt&gt;-&lt;sched&gt;.</summary>
    public string DefaultOutputDirectory() => RunFolder.DefaultPath($"{RunFolder.Stamp()}-{OptionNames.Of(Optimizer)}-{Schedule.Name}");

    /// <summary>
    /// Checks everything that needs no data, so a bad option fails before any file is read: the rate, epochs, batch,
    /// momentum and the schedule (a per-batch one fully only by <see cref="Training"/>, which knows the run's length).
    /// </summary>
    /// <exception cref="ArgumentException">One sentence naming the first impossible value (often an <see cref="OptionsException"/>).</exception>
    public void Validate()
    {
        // A per-batch schedule's length needs the data: until then it is checked for the longest run its epochs allow
        // (an epoch has at most int.MaxValue batches), which finds unknown names and options that do not apply.
        var recipe = Recipe();
        Schedule.Create(LearningRate, ScheduleUnit == ScheduleUnit.Epoch ? recipe.Epochs : recipe.Epochs * (long)int.MaxValue);
    }

    /// <summary>The trainer's options for a training split of <paramref name="trainImages"/> images, checked.</summary>
    /// <exception cref="ArgumentException">One sentence naming the first impossible value (often an <see cref="OptionsException"/>).</exception>
    public TrainingOptions Training(int trainImages)
    {
        var recipe = Recipe();
        var steps = ScheduleUnit == ScheduleUnit.Epoch ? Epochs : (long)Epochs * Data.BatchLoader.CountBatches(trainImages, Batch);
        return recipe with { Schedule = Schedule.Create(LearningRate, steps) };
    }

    private TrainingOptions Recipe()
    {
        var lr = LearningRate;
        if (!(lr > 0) || !double.IsFinite(lr))
        {
            throw new OptionsException($"The learning rate must be a positive number, got {lr.ToString(CultureInfo.InvariantCulture)}.");
        }

        return Recipe(Optimizer, lr, Epochs) with { ScheduleUnit = ScheduleUnit };
    }
}
