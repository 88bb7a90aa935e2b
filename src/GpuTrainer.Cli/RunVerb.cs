using CommandLine;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer run`'s options; unset schedule options take the schedule's defaults.</summary>
[Verb("run", HelpText = "Train LeNet-5 and report loss and accuracy per epoch.")]
public sealed class RunVerb : TrainArgs
{
    [Option("opt", Default = RunRequest.DefaultOptimizerName, HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = RunRequest.DefaultOptimizerName;

    [Option("lr", HelpText = "Base learning rate. Default: the reference study's best, 0.2161 for sgd and 0.0054723 for adam/adamw.")]
    public double? Lr { get; set; }

    [Option("epochs", HelpText = "Number of epochs. Default 30 (the reference study's, RunRequest.DefaultEpochs); with --resume, the run's own (more extends a finished run).")]
    public int? Epochs { get; set; }

    [Option("resume", HelpText = "Continue the run in this folder (interrupted: its .NAME.partial; or finished, with more --epochs) from its latest checkpoint, with the recipe stored in it.")]
    public string? Resume { get; set; }

    [Option("sched", Default = RunRequest.DefaultScheduleName, HelpText = "Learning-rate schedule: fixed | step | multistep | exponential | cosine | cosine-restarts | poly | onecycle.")]
    public string Schedule { get; set; } = RunRequest.DefaultScheduleName;

    [Option("sched-unit", Default = RunRequest.DefaultScheduleUnitName, HelpText = "What one schedule step counts: batch (scheduler.step() after every batch, as the reference study's StepLR) or epoch (once per epoch).")]
    public string ScheduleUnit { get; set; } = RunRequest.DefaultScheduleUnitName;

    [Option("step-size", HelpText = "step: multiply the rate by --gamma every this many schedule steps. Default 500 per batch (the reference study's StepLR(500, 0.5): halve every 500 batches), 1 per epoch.")]
    public long? StepSize { get; set; }

    [Option("gamma", HelpText = "step, multistep: decay factor (default 0.5 for step, 0.1 for multistep); exponential: per-step factor (default 0.01^(1/steps)).")]
    public double? Gamma { get; set; }

    [Option("milestones", Separator = ',', HelpText = "multistep: comma-separated schedule steps at which to decay. Default: half and three quarters of the run.")]
    public IEnumerable<long>? Milestones { get; set; }

    [Option("t-max", HelpText = "cosine: schedule steps from the base rate down to --eta-min. Default: the whole run.")]
    public long? TMax { get; set; }

    [Option("eta-min", HelpText = "cosine, cosine-restarts: the lowest rate. Default 0.")]
    public double? EtaMin { get; set; }

    [Option("t0", HelpText = "cosine-restarts: length of the first cycle. Default: a quarter of the run.")]
    public long? T0 { get; set; }

    [Option("t-mult", HelpText = "cosine-restarts: each cycle is this many times longer than the last. Default 1.")]
    public long? TMult { get; set; }

    [Option("power", HelpText = "poly: exponent of the decay. Default 1.")]
    public double? Power { get; set; }

    [Option("total-iters", HelpText = "poly: schedule steps to decay to zero. Default: the whole run.")]
    public long? TotalIters { get; set; }

    [Option("pct-start", HelpText = "onecycle: fraction of the cycle spent rising to --lr (the peak). Default 0.3.")]
    public double? PctStart { get; set; }

    [Option("anneal", HelpText = "onecycle: cos | linear. Default cos.")]
    public string? Anneal { get; set; }

    [Option("div-factor", HelpText = "onecycle: the cycle starts at --lr / this. Default 25.")]
    public double? DivFactor { get; set; }

    [Option("final-div-factor", HelpText = "onecycle: the cycle ends at its start / this. Default 1e4.")]
    public double? FinalDivFactor { get; set; }

    [Option("three-phase", HelpText = "onecycle: use fastai's three phases.")]
    public bool ThreePhase { get; set; }

    [Option("warmup", HelpText = "Any schedule: schedule steps of linear warmup in front of it. Default 0.")]
    public long? Warmup { get; set; }

    [Option("warmup-start", HelpText = "With --warmup: the first warmup rate as a fraction of the schedule's first rate. Default 1/3.")]
    public double? WarmupStart { get; set; }
}
