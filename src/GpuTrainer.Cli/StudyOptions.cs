using CommandLine;

namespace GpuTrainer.Cli;

/// <summary>The study's recipe options, shared by `study` and the verbs that plan or emit a study.</summary>
public abstract class StudyArgs : SweepArgs
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
}

[Verb("study", HelpText = "Learning-rate study: a range test per optimizer, a run per optimizer x schedule x candidate rate, a ranked report. Its phases (plan, cell, report) and the cluster emitters (slurm, k8s) are the verbs study-plan ... study-k8s, also written 'study plan' ... 'study k8s'.")]
public sealed class StudyOptions : StudyArgs;
