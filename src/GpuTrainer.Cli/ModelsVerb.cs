using CommandLine;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer models`'s options.</summary>
[Verb("models", HelpText = "List the model presets with their parameters, FLOPs per image and the layer shapes the --data images produce.")]
public sealed class ModelsVerb
{
    [Option("data", HelpText = "The data whose images the shapes are for (as for run). Default: the embedded sample data/mnist-sample.")]
    public string? Data { get; set; }

    [Option("model", HelpText = "A model to list beside the presets: a preset name or a file holding a description.")]
    public string? Model { get; set; }
}
