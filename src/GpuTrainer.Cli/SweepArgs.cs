using CommandLine;
using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>The LR range test's options, shared by `lr-find` and `study`.</summary>
public abstract class SweepArgs : TrainArgs
{
    [Option("start", Default = LrSweepOptions.DefaultStart, HelpText = "First learning rate of the sweep.")]
    public double Start { get; set; } = LrSweepOptions.DefaultStart;

    [Option("end", Default = LrSweepOptions.DefaultEnd, HelpText = "Last learning rate of the sweep (above --start).")]
    public double End { get; set; } = LrSweepOptions.DefaultEnd;

    [Option("steps", Default = LrSweepOptions.DefaultSteps, HelpText = "Batches in the sweep (at least 10); the training data is cycled as often as needed. 2,345 = five epochs of 60,000 images at batch 128.")]
    public int Steps { get; set; } = LrSweepOptions.DefaultSteps;

    [Option("mode", Default = LrSweepOptions.DefaultModeName, HelpText = "exp | linear: equal ratios or equal differences between consecutive rates.")]
    public string Mode { get; set; } = LrSweepOptions.DefaultModeName;

    [Option("smooth", Default = LrSweepOptions.DefaultSmoothingBeta, HelpText = "Beta of the bias-corrected moving average of the loss, in [0, 1).")]
    public double Smooth { get; set; } = LrSweepOptions.DefaultSmoothingBeta;

    [Option("diverge", Default = LrSweepOptions.DefaultDivergenceFactor, HelpText = "Stop once the smoothed loss exceeds this many times its best (above 1).")]
    public double Diverge { get; set; } = LrSweepOptions.DefaultDivergenceFactor;

    [Option("candidates", Default = LrSweepOptions.DefaultCandidates, HelpText = "Log-spaced candidate rates taken from the band where the loss falls fast.")]
    public int Candidates { get; set; } = LrSweepOptions.DefaultCandidates;

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
