using CommandLine;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>The study's recipe options, shared by `study` and the verbs that plan or emit a study.</summary>
public abstract class StudyArgs : SweepArgs
{
    [Option("opt", Default = RecipeDefaults.StudyOptimizerNames, HelpText = "Comma-separated optimizers: sgd, adam, adamw.")]
    public string Optimizers { get; set; } = "";

    [Option("sched", Default = RecipeDefaults.StudyScheduleNames, HelpText = nameof(HelpTexts.StudySchedules), ResourceType = typeof(HelpTexts))]
    public string Schedules { get; set; } = "";

    [Option("sched-unit", Default = RecipeDefaults.ScheduleUnitName, HelpText = nameof(HelpTexts.ScheduleUnit), ResourceType = typeof(HelpTexts))]
    public string ScheduleUnit { get; set; } = "";

    [Option("step-size", HelpText = nameof(HelpTexts.StepSize), ResourceType = typeof(HelpTexts))]
    public long? StepSize { get; set; }

    [Option("gamma", HelpText = nameof(HelpTexts.StudyGamma), ResourceType = typeof(HelpTexts))]
    public double? Gamma { get; set; }

    [Option("epochs", Default = RecipeDefaults.Epochs, HelpText = "Epochs of every run.")]
    public int Epochs { get; set; }

    [Option("parallel", HelpText = nameof(HelpTexts.Parallel), ResourceType = typeof(HelpTexts))]
    public int? Parallel { get; set; }

    [Option("recipe", HelpText = nameof(HelpTexts.Recipe), ResourceType = typeof(HelpTexts))]
    public string? Recipe { get; set; }
}

/// <summary>`gputrainer study`'s options.</summary>
[Verb("study", HelpText = "Learning-rate study: a range test per optimizer, a run per optimizer x schedule x candidate rate, a ranked report. Its phases (plan, cell, report) and the cluster emitters (slurm, k8s) are the verbs study-plan ... study-k8s, also written 'study plan' ... 'study k8s'.")]
public sealed class StudyVerb : StudyArgs;
