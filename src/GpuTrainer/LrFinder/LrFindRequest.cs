using GpuTrainer.Optim;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>One LR range test as the CLI (or the study) asks for it, with the CLI's defaults; run by <see cref="LrFindRun.Execute"/>.</summary>
public sealed record LrFindRequest : TrainingRequest
{
    public LrFindRequest()
    {
    }

    /// <summary>A range test with <paramref name="shared"/>'s shared settings (a study's range tests take the study's).</summary>
    internal LrFindRequest(TrainingRequest shared)
        : base(shared)
    {
    }

    /// <summary>The optimizer whose rates are probed (--opt).</summary>
    public OptimizerKind Optimizer { get; init; } = OptionNames.Optimizer(RecipeDefaults.OptimizerName);

    /// <summary>A checkpoint (or a run folder holding one) whose parameters the sweep starts from; null for a fresh initialisation.</summary>
    public string? From { get; init; }

    /// <summary>The sweep and how its curve is read.</summary>
    public LrSweepOptions Sweep { get; init; } = new();

    /// <summary>Where the range test goes without --out: runs/&lt;time&gt;-lr-find-&lt;opt&gt;.</summary>
    public string DefaultOutputDirectory() => RunFolder.DefaultPath($"{RunFolder.Stamp()}-lr-find-{OptionNames.Of(Optimizer)}");

    /// <summary>The sweep and the shared recipe at the sweep's first rate.</summary>
    /// <inheritdoc/>
    public override void Validate()
    {
        Sweep.Validate();
        Validate(Optimizer, Sweep.Start, RecipeDefaults.Epochs);
    }

    /// <summary>The trainer's options, checked (<see cref="Validate()"/>): the sweep sets the rate, so the schedule is a placeholder and epochs are unused.</summary>
    /// <exception cref="ArgumentException">A setting is impossible (often an <see cref="OptionsException"/>).</exception>
    public TrainingOptions Training()
    {
        Validate();
        return Options(Optimizer, new Schedules.FixedLr(Sweep.Start), RecipeDefaults.ScheduleUnit, RecipeDefaults.Epochs);
    }
}
