using GpuTrainer.Optim;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>One LR range test as the CLI (or the study) asks for it, with the CLI's defaults; run by <see cref="LrFindRun.Execute"/>.</summary>
public sealed record LrFindRequest : TrainingRequest
{
    /// <summary>The optimizer whose rates are probed (--opt).</summary>
    public OptimizerKind Optimizer { get; init; } = OptionNames.Optimizer(RunRequest.DefaultOptimizerName);

    /// <summary>A checkpoint (or a run folder holding one) whose parameters the sweep starts from; null for a fresh initialisation.</summary>
    public string? From { get; init; }

    /// <summary>The sweep and how its curve is read.</summary>
    public LrSweepOptions Sweep { get; init; } = new();

    /// <summary>Where the range test goes without --out: runs/&lt;time&gt;-lr-find-&lt;opt&gt;.</summary>
    public string DefaultOutputDirectory() => RunFolder.DefaultPath($"{RunFolder.Stamp()}-lr-find-{OptionNames.Of(Optimizer)}");

    /// <summary>Checks the sweep and the recipe; one sentence naming the first impossible value.</summary>
    /// <exception cref="ArgumentException">A setting is impossible (often an <see cref="OptionsException"/>).</exception>
    public void Validate() => Training();

    /// <summary>The trainer's options, checked: the sweep sets the rate, so the schedule is a placeholder and epochs are unused.</summary>
    /// <exception cref="ArgumentException">A setting is impossible (often an <see cref="OptionsException"/>).</exception>
    public TrainingOptions Training()
    {
        Sweep.Validate();
        return Recipe(Optimizer, Sweep.Start, RunRequest.DefaultEpochs);
    }
}
