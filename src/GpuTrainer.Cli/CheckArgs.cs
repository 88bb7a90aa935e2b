using CommandLine;
using GpuTrainer.Diagnostics;

namespace GpuTrainer.Cli;

/// <summary>Options of the verbs that check or measure a device at two sizes.</summary>
public abstract class CheckArgs : DeviceArgs
{
    [Option("size", Default = CheckSizeNames.Default, HelpText = "full (realistic shapes, for a GPU) | small (tiny shapes that prove the code paths, even on ilgpu-cpu).")]
    public string Size { get; set; } = "";
}
