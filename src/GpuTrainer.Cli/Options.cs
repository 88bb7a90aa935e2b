using CommandLine;
using GpuTrainer.Study;

namespace GpuTrainer.Cli;

/// <summary>Options shared by every verb that builds a backend.</summary>
public abstract class DeviceOptions
{
    [Option("device", Default = "auto", HelpText = "auto | cuda | opencl | cpu | ilgpu-cpu. auto takes CUDA, then an OpenCL GPU, then the managed CPU backend; ilgpu-cpu runs our kernels on ILGPU's CPU accelerator (slow, for checking).")]
    public string Device { get; set; } = "auto";

    [Option("threads", Default = 0, HelpText = "Threads for the managed CPU backend; 0 uses every core.")]
    public int Threads { get; set; }
}

/// <summary>Options shared by verbs that train.</summary>
public abstract class TrainOptions : DeviceOptions
{
    [Option("data", HelpText = "Directory of MNIST-format IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...). Default: the embedded sample data/mnist-sample.")]
    public string? Data { get; set; }

    [Option("batch", Default = ReferenceStudy.Batch, HelpText = "Batch size.")]
    public int Batch { get; set; } = ReferenceStudy.Batch;

    [Option("momentum", Default = 0.0, HelpText = "SGD momentum (PyTorch's default 0).")]
    public double Momentum { get; set; }

    [Option("weight-decay", Default = 0.0, HelpText = "L2 weight decay (decoupled for adamw).")]
    public double WeightDecay { get; set; }

    [Option("seed", Default = 1, HelpText = "Seed for initialisation and shuffling; the same seed gives the same run.")]
    public int Seed { get; set; } = 1;

    [Option("out", HelpText = "Output folder. Default: runs/<time>-<opt>-<sched> (lr-find: runs/<time>-lr-find-<opt>; study: runs/study-<time>). An existing non-empty folder is refused, except by study, which resumes the study in it and reuses its finished runs.")]
    public string? Out { get; set; }
}

/// <summary>The learning-rate schedule options every training verb takes; unset values take the schedule's defaults.</summary>
public abstract class ScheduleArgs : TrainOptions
{
    [Option("sched", Default = "step", HelpText = "Learning-rate schedule: fixed | step | multistep | exponential | cosine | cosine-restarts | poly | onecycle.")]
    public string Schedule { get; set; } = "step";

    [Option("sched-unit", Default = "batch", HelpText = "What one schedule step counts: batch (scheduler.step() after every batch, as the reference study's StepLR) or epoch (once per epoch).")]
    public string ScheduleUnit { get; set; } = "batch";

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

[Verb("run", HelpText = "Train LeNet-5 and report loss and accuracy per epoch.")]
public sealed class RunOptions : ScheduleArgs
{
    [Option("opt", Default = "adam", HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = "adam";

    [Option("lr", HelpText = "Base learning rate. Default: the reference study's best, 0.2161 for sgd and 0.0054723 for adam/adamw.")]
    public double? Lr { get; set; }

    [Option("epochs", Default = ReferenceStudy.Epochs, HelpText = "Number of epochs.")]
    public int Epochs { get; set; } = ReferenceStudy.Epochs;
}

[Verb("devices", HelpText = "List the devices GpuTrainer can use (name, memory, compute capability, warp size).")]
public sealed class DevicesOptions;
