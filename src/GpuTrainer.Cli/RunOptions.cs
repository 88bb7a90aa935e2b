using CommandLine;

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

    [Option("batch", Default = 128, HelpText = "Batch size.")]
    public int Batch { get; set; } = 128;

    [Option("momentum", Default = 0.0, HelpText = "SGD momentum (PyTorch's default 0).")]
    public double Momentum { get; set; }

    [Option("weight-decay", Default = 0.0, HelpText = "L2 weight decay (decoupled for adamw).")]
    public double WeightDecay { get; set; }

    [Option("seed", Default = 1, HelpText = "Seed for initialisation and shuffling; the same seed gives the same run.")]
    public int Seed { get; set; } = 1;

    [Option("out", HelpText = "Output folder. Default: runs/<time>-<opt>-<sched>. An existing non-empty folder is refused.")]
    public string? Out { get; set; }
}

[Verb("run", isDefault: false, HelpText = "Train LeNet-5 and report loss and accuracy per epoch.")]
public sealed class RunOptions : TrainOptions
{
    [Option("opt", Default = "adam", HelpText = "sgd | adam | adamw.")]
    public string Optimizer { get; set; } = "adam";

    [Option("lr", HelpText = "Learning rate. Default: the reference study's best, 0.2161 for sgd and 0.0054723 for adam/adamw.")]
    public double? Lr { get; set; }

    [Option("epochs", Default = 15, HelpText = "Number of epochs.")]
    public int Epochs { get; set; } = 15;

    [Option("sched", Default = "step", HelpText = "Learning-rate schedule: fixed | step.")]
    public string Schedule { get; set; } = "step";

    [Option("step-size", Default = 1, HelpText = "StepLR: multiply the rate by --gamma every this many schedule steps (see --sched-unit).")]
    public int StepSize { get; set; } = 1;

    [Option("gamma", Default = 0.5, HelpText = "StepLR: the factor applied every --step-size steps.")]
    public double Gamma { get; set; } = 0.5;

    [Option("sched-unit", Default = "epoch", HelpText = "What a schedule step counts: epoch (like calling scheduler.step() once per epoch) or batch.")]
    public string ScheduleUnit { get; set; } = "epoch";
}

[Verb("devices", HelpText = "List the devices GpuTrainer can use (name, memory, compute capability, warp size).")]
public sealed class DevicesOptions;
