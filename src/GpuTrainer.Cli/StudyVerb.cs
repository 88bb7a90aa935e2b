using CommandLine;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>The study's recipe options, shared by `study` and the verbs that plan or emit a study.</summary>
public abstract class StudyArgs : SweepArgs
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

    [Option("parallel", HelpText = "Cells trained together as one model group, one array task (same results, one pass over each batch); 1 trains them one after another; 0 takes as many as memory allows, at most 32. Default: 0 for study, 1 for its phases and cluster jobs.")]
    public int? Parallel { get; set; }
}

/// <summary>`gputrainer study`'s options.</summary>
[Verb("study", HelpText = "Learning-rate study: a range test per optimizer, a run per optimizer x schedule x candidate rate, a ranked report. Its phases (plan, cell, report) and the cluster emitters (slurm, k8s) are the verbs study-plan ... study-k8s, also written 'study plan' ... 'study k8s'.")]
public sealed class StudyVerb : StudyArgs;
