using CommandLine;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer study`'s options.</summary>
[Verb("study", HelpText = "Learning-rate study: a range test per optimizer, a run per optimizer x schedule x candidate rate, a ranked report.")]
public sealed class StudyVerb : SweepArgs
{
    [Option("opt", Default = StudyRequest.DefaultOptimizerNames, HelpText = "Comma-separated optimizers: sgd, adam, adamw.")]
    public string Optimizers { get; set; } = StudyRequest.DefaultOptimizerNames;

    [Option("sched", Default = StudyRequest.DefaultScheduleNames, HelpText = "Comma-separated schedules: fixed, step, multistep, exponential, cosine, cosine-restarts, poly, onecycle (each with its defaults).")]
    public string Schedules { get; set; } = StudyRequest.DefaultScheduleNames;

    [Option("step-size", HelpText = "step: multiply the rate by --gamma every this many epochs. Default 1.")]
    public long? StepSize { get; set; }

    [Option("gamma", HelpText = "step: decay factor. Default 0.5 (with --step-size 1: halve the rate every epoch).")]
    public double? Gamma { get; set; }

    [Option("epochs", Default = RunRequest.DefaultEpochs, HelpText = "Epochs of every run.")]
    public int Epochs { get; set; } = RunRequest.DefaultEpochs;
}
