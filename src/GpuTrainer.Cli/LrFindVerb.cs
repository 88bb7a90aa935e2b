using CommandLine;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer lr-find`'s options.</summary>
[Verb("lr-find", HelpText = "LR range test: sweep the learning rate, plot the loss and suggest rates.")]
public sealed class LrFindVerb : SweepArgs
{
    [Option("opt", Default = RunRequest.DefaultOptimizerName, HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = RunRequest.DefaultOptimizerName;
}
