using CommandLine;

namespace GpuTrainer.Cli;

[Verb("gpubench", HelpText = "Measure our GEMM kernel (GFLOP/s), the fused Adam step against a device copy (GB/s) and a LeNet-5 epoch; prints Markdown rows.")]
public sealed class GpuBenchOptions : DeviceOptions
{
    [Option("size", Default = "full", HelpText = "full (GEMM 4096^3, Adam over 100M parameters, 60,000-image epoch) | small (seconds, proves the code paths).")]
    public string Size { get; set; } = "full";

    [Option("json", HelpText = "Also write the figures as JSON to this file (read by the GPU check script).")]
    public string? Json { get; set; }
}
