using CommandLine;
using GpuTrainer.Compute;

namespace GpuTrainer.Cli;

/// <summary>Options of every verb that builds a backend.</summary>
public abstract class DeviceArgs
{
    [Option("device", Default = Backends.DefaultDeviceName, HelpText = "auto | cuda | opencl | cpu | ilgpu-cpu. auto takes CUDA, then an OpenCL GPU, then the managed CPU backend; ilgpu-cpu runs our kernels on ILGPU's CPU accelerator (slow, for checking).")]
    public string Device { get; set; } = "";

    [Option("threads", Default = Backends.DefaultThreads, HelpText = "Threads for the managed CPU backend; 0 uses every core.")]
    public int Threads { get; set; }
}
