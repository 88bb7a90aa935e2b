using CommandLine;
using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>The LR range test's options, shared by `lr-find` and `study`.</summary>
public abstract class SweepArgs : TrainArgs
{
    [Option("start", Default = RecipeDefaults.SweepStart, HelpText = "First learning rate of the sweep.")]
    public double Start { get; set; }

    [Option("end", Default = RecipeDefaults.SweepEnd, HelpText = "Last learning rate of the sweep (above --start).")]
    public double End { get; set; }

    [Option("steps", Default = RecipeDefaults.SweepSteps, HelpText = nameof(HelpTexts.Steps), ResourceType = typeof(HelpTexts))]
    public int Steps { get; set; }

    [Option("mode", Default = RecipeDefaults.SweepModeName, HelpText = "exp | linear: equal ratios or equal differences between consecutive rates.")]
    public string Mode { get; set; } = "";

    [Option("smooth", Default = RecipeDefaults.SweepSmoothingBeta, HelpText = "Beta of the bias-corrected moving average of the loss, in [0, 1).")]
    public double Smooth { get; set; }

    [Option("diverge", Default = RecipeDefaults.SweepDivergenceFactor, HelpText = "Stop once the smoothed loss exceeds this many times its best (above 1).")]
    public double Diverge { get; set; }

    [Option("candidates", Default = RecipeDefaults.Candidates, HelpText = "Log-spaced candidate rates taken from the band where the loss falls fast.")]
    public int Candidates { get; set; }

    /// <summary>The sweep these options describe (checked by the request that holds it).</summary>
    public LrSweepOptions Sweep() => new()
    {
        Start = Start,
        End = End,
        Steps = Steps,
        Mode = OptionNames.SweepMode(Mode),
        SmoothingBeta = Smooth,
        DivergenceFactor = Diverge,
        Candidates = Candidates,
    };
}
