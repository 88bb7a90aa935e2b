using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// An automated learning-rate study as the CLI (or any program) asks for it, with the CLI's defaults: for each optimizer a
/// range test, then a training run for every schedule x candidate rate, then a ranked report (<see cref="StudyRunner"/>).
/// The shared settings (batch, momentum, weight decay, seed, data, device) apply to every range test and run; momentum
/// to SGD only.
/// </summary>
public sealed record StudyRequest : TrainingRequest
{
    /// <summary>The optimizers to compare, each at most once (--opt).</summary>
    public IReadOnlyList<OptimizerKind> Optimizers { get; init; } = [.. OptionNames.List(RecipeDefaults.StudyOptimizerNames, "--opt").Select(OptionNames.Optimizer)];

    /// <summary>
    /// The schedules to compare, each name at most once (--sched); each run's base rate is one of the candidates. Build
    /// them with <see cref="ScheduleGrid"/> and this request's <see cref="ScheduleUnit"/> to get the step defaults.
    /// </summary>
    public IReadOnlyList<NamedSchedule> Schedules { get; init; } = ScheduleGrid(RecipeDefaults.StudyScheduleNames, null, null, RecipeDefaults.ScheduleUnit);

    /// <summary>What one step of every run's schedule counts (--sched-unit); by default a batch, as the reference's StepLR.</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = RecipeDefaults.ScheduleUnit;

    /// <summary>Epochs of every run (--epochs).</summary>
    public int Epochs { get; init; } = RecipeDefaults.Epochs;

    /// <summary>
    /// A named recipe the study must follow (--recipe): "reference" (<see cref="ReferenceStudy"/>), whose settings are
    /// the defaults, refuses any setting that departs from it; null for none.
    /// </summary>
    public string? RecipeName { get; init; }

    /// <summary>The range test and how many candidates to take from it.</summary>
    public LrSweepOptions Sweep { get; init; } = new();

    /// <summary>
    /// Cells trained together as one model group, one array task (--parallel); 1 trains them one after another, 0 takes
    /// as many as memory allows (see <see cref="StudyParallel"/>). Null: 0 for a study on one machine
    /// (<see cref="StudyRunner"/>), 1 when its phases run as separate jobs (plan, cluster emitters). The results do not depend on it.
    /// </summary>
    public int? Parallel { get; init; }

    /// <summary>
    /// The schedules of a comma-separated list such as "fixed,step", each with its defaults for schedule steps of
    /// <paramref name="unit"/>; <paramref name="stepSize"/> and <paramref name="gamma"/> (--step-size, --gamma) set the step
    /// schedule's, which the list must then include.
    /// </summary>
    /// <exception cref="OptionsException">The list is empty, or a step option is given without the step schedule.</exception>
    public static IReadOnlyList<NamedSchedule> ScheduleGrid(string names, long? stepSize, double? gamma, ScheduleUnit unit)
    {
        var list = OptionNames.List(names, "--sched");
        if ((stepSize is not null || gamma is not null) && !list.Contains("step"))
        {
            throw new OptionsException("--step-size and --gamma apply to the step schedule, which --sched does not include.");
        }

        return [.. list.Select(name => RecipeDefaults.Schedule(name, name == "step" ? new ScheduleOptions { StepSize = stepSize, Gamma = gamma } : null, unit))];
    }

    /// <summary>Where the study goes without --out: runs/study-&lt;time&gt;.</summary>
    public string DefaultOutputDirectory() => RunFolder.DefaultPath($"study-{RunFolder.Stamp()}");

    /// <summary>The range test of <paramref name="optimizer"/>, written to <paramref name="path"/>.</summary>
    public LrFindRequest RangeTest(OptimizerKind optimizer, string path) =>
        new LrFindRequest(this) { Optimizer = optimizer, Sweep = Sweep, Momentum = MomentumOf(optimizer), OutputDirectory = path };

    /// <summary>The run of <paramref name="optimizer"/> with <paramref name="schedule"/> at base rate <paramref name="lr"/>, written to <paramref name="path"/>.</summary>
    public RunRequest Run(OptimizerKind optimizer, NamedSchedule schedule, double lr, string path) =>
        new RunRequest(this) { Optimizer = optimizer, Lr = lr, Schedule = schedule, ScheduleUnit = ScheduleUnit, Epochs = Epochs, Momentum = MomentumOf(optimizer), OutputDirectory = path };

    /// <summary>The whole grid, before any training, so an impossible study fails at once, not after its range tests.</summary>
    /// <inheritdoc/>
    public override void Validate()
    {
        Sweep.Validate();
        if (Parallel < 0)
        {
            throw new OptionsException($"--parallel must be 0 (as many cells as memory allows) or a positive number of cells, got {Parallel}.");
        }

        if (Optimizers.Count == 0 || Schedules.Count == 0)
        {
            throw new OptionsException("A study needs at least one optimizer and one schedule.");
        }

        if (Optimizers.Distinct().Count() != Optimizers.Count || Schedules.Select(s => s.Name).Distinct().Count() != Schedules.Count)
        {
            throw new OptionsException("Each optimizer and each schedule may appear only once in a study.");
        }

        foreach (var optimizer in Optimizers)
        {
            foreach (var schedule in Schedules)
            {
                Run(optimizer, schedule, Sweep.Start, "").Validate();
            }
        }

        if (RecipeName is not null)
        {
            if (!RecipeName.Trim().Equals(ReferenceStudy.RecipeName, StringComparison.OrdinalIgnoreCase))
            {
                throw new OptionsException($"Unknown --recipe '{RecipeName}'; use {ReferenceStudy.RecipeName}.");
            }

            if (ReferenceStudy.Differences(this) is { Count: > 0 } differences)
            {
                throw new OptionsException(
                    $"--recipe {ReferenceStudy.RecipeName} fixes the study's recipe, but the options change it ({string.Join("; ", differences)}); drop them or --recipe.");
            }
        }
    }

    private double MomentumOf(OptimizerKind optimizer) => optimizer == OptimizerKind.Sgd ? Momentum : 0;

    /// <summary>This request for a cluster: its folder must be given, since every node reads and writes it.</summary>
    /// <exception cref="OptionsException">No <see cref="TrainingRequest.OutputDirectory"/>.</exception>
    public StudyRequest OnSharedStorage() => OutputDirectory is null
        ? throw new OptionsException("A cluster study needs --out: the study folder on the storage every node shares.")
        : this;
}
