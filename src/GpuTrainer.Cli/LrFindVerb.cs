using CommandLine;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer lr-find`'s options.</summary>
[Verb("lr-find", HelpText = "LR range test: sweep the learning rate, plot the loss and suggest rates.")]
public sealed class LrFindVerb : SweepArgs
{
    [Option("opt", Default = RecipeDefaults.OptimizerName, HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = "";

    [Option("from", HelpText = "Start the sweep from the parameters of this checkpoint (or the latest one in this run folder) instead of a fresh initialisation.")]
    public string? From { get; set; }
}
