using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>
/// The LR range test's sweep and how its curve is read; its defaults are <see cref="RecipeDefaults"/>' (the reference
/// study's sweep and candidates).
/// </summary>
public sealed record LrSweepOptions
{
    /// <summary>The fewest steps a sweep may have: fewer leave no curve to read.</summary>
    public const int MinSteps = 10;

    /// <summary>The first learning rate, used at step 0.</summary>
    public double Start { get; init; } = RecipeDefaults.SweepStart;

    /// <summary>The last learning rate, used at step <see cref="Steps"/> - 1.</summary>
    public double End { get; init; } = RecipeDefaults.SweepEnd;

    /// <summary>Batches in the sweep; the training data is cycled through as often as needed.</summary>
    public int Steps { get; init; } = RecipeDefaults.SweepSteps;

    public LrSweepMode Mode { get; init; } = OptionNames.SweepMode(RecipeDefaults.SweepModeName);

    /// <summary>Beta of the bias-corrected exponential moving average of the loss, in [0, 1).</summary>
    public double SmoothingBeta { get; init; } = RecipeDefaults.SweepSmoothingBeta;

    /// <summary>The sweep stops once the smoothed loss exceeds this many times its lowest value so far (&gt; 1).</summary>
    public double DivergenceFactor { get; init; } = RecipeDefaults.SweepDivergenceFactor;

    /// <summary>Log-spaced candidate rates taken from the band (at least 1).</summary>
    public int Candidates { get; init; } = RecipeDefaults.Candidates;

    /// <summary>Throws <see cref="ArgumentException"/> with one sentence naming the first impossible value.</summary>
    public void Validate()
    {
        if (!(Start > 0) || !double.IsFinite(Start) || !(End > 0) || !double.IsFinite(End))
        {
            throw new ArgumentException($"The sweep's start and end rates must be positive numbers, got {Start} and {End}.");
        }

        if (Start >= End)
        {
            throw new ArgumentException($"The sweep's start rate must be below its end rate, got start {Start} and end {End}.");
        }

        if (Steps < MinSteps)
        {
            throw new ArgumentException($"The sweep needs at least {MinSteps} steps, got {Steps}.");
        }

        if (!(SmoothingBeta >= 0 && SmoothingBeta < 1))
        {
            throw new ArgumentException($"The smoothing beta must be in [0, 1), got {SmoothingBeta}.");
        }

        if (!(DivergenceFactor > 1) || !double.IsFinite(DivergenceFactor))
        {
            throw new ArgumentException($"The divergence factor must be a number above 1, got {DivergenceFactor}.");
        }

        if (Candidates < 1)
        {
            throw new ArgumentException($"The number of candidate rates must be at least 1, got {Candidates}.");
        }
    }

    /// <summary>
    /// The rate at sweep step <paramref name="step"/> (0 .. Steps-1): Start * (End/Start)^(step/(Steps-1)) or
    /// Start + (End-Start) * step/(Steps-1). The first and last steps give Start and End exactly.
    /// </summary>
    public double LearningRate(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, Steps);
        if (step == Steps - 1)
        {
            return End;
        }

        var t = (double)step / (Steps - 1);
        return Mode == LrSweepMode.Exponential ? Start * Math.Exp(t * Math.Log(End / Start)) : Start + ((End - Start) * t);
    }
}
