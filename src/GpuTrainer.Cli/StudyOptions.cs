using CommandLine;

namespace GpuTrainer.Cli;

[Verb("study", HelpText = "Learning-rate study: a range test per optimizer, a run per optimizer x schedule x candidate rate, a ranked report.")]
public sealed class StudyOptions : SweepArgs
{
    [Option("opt", Default = "sgd,adam", HelpText = "Comma-separated optimizers: sgd, adam, adamw.")]
    public string Optimizers { get; set; } = "sgd,adam";

    [Option("sched", Default = "fixed,step", HelpText = "Comma-separated schedules: fixed, step, multistep, exponential, cosine, cosine-restarts, poly, onecycle (each with its defaults).")]
    public string Schedules { get; set; } = "fixed,step";

    [Option("step-size", HelpText = "step: multiply the rate by --gamma every this many epochs. Default 1.")]
    public long? StepSize { get; set; }

    [Option("gamma", HelpText = "step: decay factor. Default 0.5 (with --step-size 1: halve the rate every epoch).")]
    public double? Gamma { get; set; }

    [Option("epochs", Default = 15, HelpText = "Epochs of every run.")]
    public int Epochs { get; set; } = 15;

    [Option("parallel", Default = 0, HelpText = "Cells trained together as one model group (same results, one pass over each batch); 1 trains them one after another; 0 takes as many as memory allows, at most 32.")]
    public int Parallel { get; set; }
}
