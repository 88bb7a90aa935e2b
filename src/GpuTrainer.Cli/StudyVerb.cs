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

    [Option("sched-unit", Default = RunRequest.DefaultScheduleUnitName, HelpText = "What one schedule step counts: batch (scheduler.step() after every batch, as the reference study's StepLR) or epoch (once per epoch).")]
    public string ScheduleUnit { get; set; } = RunRequest.DefaultScheduleUnitName;

    [Option("step-size", HelpText = "step: multiply the rate by --gamma every this many schedule steps. Default 500 per batch (the reference study's StepLR(500, 0.5)), 1 per epoch.")]
    public long? StepSize { get; set; }

    [Option("gamma", HelpText = "step: decay factor. Default 0.5.")]
    public double? Gamma { get; set; }

    [Option("epochs", Default = RunRequest.DefaultEpochs, HelpText = "Epochs of every run.")]
    public int Epochs { get; set; } = RunRequest.DefaultEpochs;

    [Option("parallel", HelpText = "Cells trained together as one model group, one array task (same results, one pass over each batch); 1 trains them one after another; 0 takes as many as memory allows, at most 32. Default: 0 for study, 1 for its phases and cluster jobs.")]
    public int? Parallel { get; set; }

    [Option("recipe", HelpText = "reference: the reference study's recipe, which the defaults are (sgd,adam x fixed,step, StepLR halving every 500 batches, batch 128, 30 epochs, sweep 1e-6..1 over 2,345 steps, 4 candidates); any option that departs from it is refused.")]
    public string? Recipe { get; set; }
}

/// <summary>`gputrainer study`'s options.</summary>
[Verb("study", HelpText = "Learning-rate study: a range test per optimizer, a run per optimizer x schedule x candidate rate, a ranked report. Its phases (plan, cell, report) and the cluster emitters (slurm, k8s) are the verbs study-plan ... study-k8s, also written 'study plan' ... 'study k8s'.")]
public sealed class StudyVerb : StudyArgs;
