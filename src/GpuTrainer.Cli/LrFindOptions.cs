using CommandLine;

namespace GpuTrainer.Cli;

/// <summary>The LR range test's options, shared by `lr-find` and `study`.</summary>
public abstract class SweepArgs : TrainOptions
{
    [Option("start", Default = 1e-6, HelpText = "First learning rate of the sweep.")]
    public double Start { get; set; } = 1e-6;

    [Option("end", Default = 1.0, HelpText = "Last learning rate of the sweep (above --start).")]
    public double End { get; set; } = 1.0;

    [Option("steps", Default = 2345, HelpText = "Batches in the sweep (at least 10); the training data is cycled as often as needed. 2,345 = five epochs of 60,000 images at batch 128.")]
    public int Steps { get; set; } = 2345;

    [Option("mode", Default = "exp", HelpText = "exp | linear: equal ratios or equal differences between consecutive rates.")]
    public string Mode { get; set; } = "exp";

    [Option("smooth", Default = 0.98, HelpText = "Beta of the bias-corrected moving average of the loss, in [0, 1).")]
    public double Smooth { get; set; } = 0.98;

    [Option("diverge", Default = 4.0, HelpText = "Stop once the smoothed loss exceeds this many times its best (above 1).")]
    public double Diverge { get; set; } = 4.0;

    [Option("candidates", Default = 4, HelpText = "Log-spaced candidate rates taken from the band where the loss falls fast.")]
    public int Candidates { get; set; } = 4;
}

[Verb("lr-find", HelpText = "LR range test: sweep the learning rate, plot the loss and suggest rates.")]
public sealed class LrFindOptions : SweepArgs
{
    [Option("opt", Default = "adam", HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = "adam";

    [Option("from", HelpText = "Start the sweep from the parameters of this checkpoint (or the latest one in this run folder) instead of a fresh initialisation.")]
    public string? From { get; set; }
}
