using CommandLine;

namespace GpuTrainer.Cli;

[Verb("selftest", HelpText = "Check every kernel on a device against the managed CPU backend and print one line per kernel (exit 8 if any fails).")]
public sealed class SelfTestOptions : DeviceOptions
{
    [Option("size", Default = "full", HelpText = "small (tiny shapes, seconds on ilgpu-cpu) | full (LeNet-5 at batch 128, GEMM 512x384x640, 1M-parameter optimizers).")]
    public string Size { get; set; } = "full";
}
