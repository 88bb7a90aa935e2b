using CommandLine;
using GpuTrainer.Study;

namespace GpuTrainer.Cli;

/// <summary>The LR range test's options, shared by `lr-find` and `study`.</summary>
public abstract class SweepArgs : TrainOptions
{
    [Option("start", Default = ReferenceStudy.SweepStart, HelpText = "First learning rate of the sweep.")]
    public double Start { get; set; } = ReferenceStudy.SweepStart;

    [Option("end", Default = ReferenceStudy.SweepEnd, HelpText = "Last learning rate of the sweep (above --start).")]
    public double End { get; set; } = ReferenceStudy.SweepEnd;

    [Option("steps", Default = ReferenceStudy.SweepSteps, HelpText = "Batches in the sweep (at least 10); the training data is cycled as often as needed. 2,345 = five epochs of 60,000 images at batch 128.")]
    public int Steps { get; set; } = ReferenceStudy.SweepSteps;

    [Option("mode", Default = "exp", HelpText = "exp | linear: equal ratios or equal differences between consecutive rates.")]
    public string Mode { get; set; } = "exp";

    [Option("smooth", Default = 0.98, HelpText = "Beta of the bias-corrected moving average of the loss, in [0, 1).")]
    public double Smooth { get; set; } = 0.98;

    [Option("diverge", Default = 4.0, HelpText = "Stop once the smoothed loss exceeds this many times its best (above 1).")]
    public double Diverge { get; set; } = 4.0;

    [Option("candidates", Default = ReferenceStudy.Candidates, HelpText = "Log-spaced candidate rates taken from the band where the loss falls fast.")]
    public int Candidates { get; set; } = ReferenceStudy.Candidates;
}

[Verb("lr-find", HelpText = "LR range test: sweep the learning rate, plot the loss and suggest rates.")]
public sealed class LrFindOptions : SweepArgs
{
    [Option("opt", Default = "adam", HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = "adam";
}
