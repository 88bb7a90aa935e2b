using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>
/// Every default of a training recipe, once: <see cref="RunRequest"/>, <see cref="LrFinder.LrFindRequest"/> (with
/// <see cref="LrFinder.LrSweepOptions"/>), the study, <see cref="TrainingOptions"/> and the CLI's help all read them here.
/// They are the reference study's recipe (the hand-run PyTorch study of LeNet-5 on full MNIST that this tool automates;
/// its results are kept by the study's ReferenceStudy): batch 128, 30 epochs, StepLR(500, 0.5) stepped after every batch at
/// its best rates, a range test from 1e-6 to 1 exponentially over 2,345 steps (five epochs of 60,000 images) and 4
/// candidate rates per optimizer. Constants, so the CLI's option attributes can show them; the schedules' own
/// defaults (StepLR's gamma among them) are <see cref="ScheduleFactory"/>'s.
/// </summary>
public static class RecipeDefaults
{
    /// <summary>The optimizer of a run or a range test, by name.</summary>
    public const string OptimizerName = "adam";

    /// <summary>The base rate when none is given: the reference study's best (SGD + StepLR, Adam + StepLR; AdamW takes Adam's).</summary>
    public const double SgdLr = 0.2161, AdamLr = 5.4723e-3;

    /// <summary>The schedule of a run, by name.</summary>
    public const string ScheduleName = "step";

    /// <summary>What one schedule step counts, by name: a batch, as the reference study stepped its StepLR.</summary>
    public const string ScheduleUnitName = "batch";

    /// <summary>Epochs of a run and of every run of a study.</summary>
    public const int Epochs = 30;

    /// <summary>The step schedule's size when a schedule step is a batch (halve every 500 batches) and when it is an epoch.</summary>
    public const long StepSizeInBatches = 500, StepSizeInEpochs = 1;

    /// <summary>Batch size, seed, SGD momentum (PyTorch's: none) and weight decay.</summary>
    public const int Batch = 128, Seed = 1;

    /// <inheritdoc cref="Batch"/>
    public const double Momentum = 0, WeightDecay = 0;

    /// <summary>The range test: its first and last rate, its smoothing (EMA beta) and its stop (smoothed loss over this many times its best).</summary>
    public const double SweepStart = 1e-6, SweepEnd = 1, SweepSmoothingBeta = 0.98, SweepDivergenceFactor = 4;

    /// <summary>The range test's steps (batches) and the candidate rates read off it per optimizer.</summary>
    public const int SweepSteps = 2345, Candidates = 4;

    /// <summary>The range test's spacing of rates, by name: exponential.</summary>
    public const string SweepModeName = "exp";

    /// <summary>A study's optimizers and schedules, as comma-separated lists (each schedule with its defaults).</summary>
    public const string StudyOptimizerNames = "sgd,adam", StudyScheduleNames = "fixed,step";

    /// <summary>What one schedule step counts (<see cref="ScheduleUnitName"/>).</summary>
    public static ScheduleUnit ScheduleUnit => OptionNames.ScheduleUnit(ScheduleUnitName);

    /// <summary>The rate a run of <paramref name="optimizer"/> uses when none is given.</summary>
    public static double Lr(OptimizerKind optimizer) => optimizer == OptimizerKind.Sgd ? SgdLr : AdamLr;

    /// <summary>The step schedule's size for schedule steps of <paramref name="unit"/>.</summary>
    public static long StepSize(ScheduleUnit unit) => unit == ScheduleUnit.Batch ? StepSizeInBatches : StepSizeInEpochs;

    /// <summary>
    /// The schedule <paramref name="name"/> with <paramref name="options"/> (null for none) as a recipe asks for it: for step,
    /// an unset size takes <see cref="StepSize"/> of <paramref name="unit"/> and an unset gamma <see cref="ScheduleFactory.StepGamma"/>,
    /// both written into the options so that checkpoints and study.json keep them.
    /// </summary>
    public static NamedSchedule Schedule(string name, ScheduleOptions? options, ScheduleUnit unit)
    {
        var schedule = NamedSchedule.Of(name, options);
        var o = schedule.Options;
        return schedule.Name == "step" ? schedule with { Options = o with { StepSize = o.StepSize ?? StepSize(unit), Gamma = o.Gamma ?? ScheduleFactory.StepGamma } } : schedule;
    }
}
