using CommandLine;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer run`'s options; unset schedule options take the schedule's defaults.</summary>
[Verb("run", HelpText = "Train a model (LeNet-5 unless --model says otherwise) and report loss and accuracy per epoch.")]
public sealed class RunVerb : TrainArgs
{
    [Option("opt", Default = RecipeDefaults.OptimizerName, HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = "";

    [Option("lr", HelpText = nameof(HelpTexts.Lr), ResourceType = typeof(HelpTexts))]
    public double? Lr { get; set; }

    [Option("epochs", HelpText = nameof(HelpTexts.RunEpochs), ResourceType = typeof(HelpTexts))]
    public int? Epochs { get; set; }

    [Option("resume", HelpText = "Continue the run in this folder (interrupted: its .NAME.partial; or finished, with more --epochs) from its latest checkpoint, with the recipe stored in it.")]
    public string? Resume { get; set; }

    [Option("sched", Default = RecipeDefaults.ScheduleName, HelpText = nameof(HelpTexts.Schedules), ResourceType = typeof(HelpTexts))]
    public string Schedule { get; set; } = "";

    [Option("sched-unit", Default = RecipeDefaults.ScheduleUnitName, HelpText = nameof(HelpTexts.ScheduleUnit), ResourceType = typeof(HelpTexts))]
    public string ScheduleUnit { get; set; } = "";

    [Option("step-size", HelpText = nameof(HelpTexts.StepSize), ResourceType = typeof(HelpTexts))]
    public long? StepSize { get; set; }

    [Option("gamma", HelpText = nameof(HelpTexts.RunGamma), ResourceType = typeof(HelpTexts))]
    public double? Gamma { get; set; }

    [Option("milestones", Separator = ',', HelpText = "multistep: comma-separated schedule steps at which to decay. Default: half and three quarters of the run.")]
    public IEnumerable<long>? Milestones { get; set; }

    [Option("t-max", HelpText = "cosine: schedule steps from the base rate down to --eta-min. Default: the whole run.")]
    public long? TMax { get; set; }

    [Option("eta-min", HelpText = nameof(HelpTexts.EtaMin), ResourceType = typeof(HelpTexts))]
    public double? EtaMin { get; set; }

    [Option("t0", HelpText = "cosine-restarts: length of the first cycle. Default: a quarter of the run.")]
    public long? T0 { get; set; }

    [Option("t-mult", HelpText = nameof(HelpTexts.TMult), ResourceType = typeof(HelpTexts))]
    public long? TMult { get; set; }

    [Option("power", HelpText = nameof(HelpTexts.Power), ResourceType = typeof(HelpTexts))]
    public double? Power { get; set; }

    [Option("total-iters", HelpText = "poly: schedule steps to decay to zero. Default: the whole run.")]
    public long? TotalIters { get; set; }

    [Option("pct-start", HelpText = nameof(HelpTexts.PctStart), ResourceType = typeof(HelpTexts))]
    public double? PctStart { get; set; }

    [Option("anneal", HelpText = "onecycle: cos | linear. Default cos.")]
    public string? Anneal { get; set; }

    [Option("div-factor", HelpText = nameof(HelpTexts.DivFactor), ResourceType = typeof(HelpTexts))]
    public double? DivFactor { get; set; }

    [Option("final-div-factor", HelpText = nameof(HelpTexts.FinalDivFactor), ResourceType = typeof(HelpTexts))]
    public double? FinalDivFactor { get; set; }

    [Option("three-phase", HelpText = "onecycle: use fastai's three phases.")]
    public bool ThreePhase { get; set; }

    [Option("warmup", HelpText = "Any schedule: schedule steps of linear warmup in front of it. Default: none.")]
    public long? Warmup { get; set; }

    [Option("warmup-start", HelpText = nameof(HelpTexts.WarmupStart), ResourceType = typeof(HelpTexts))]
    public double? WarmupStart { get; set; }
}
