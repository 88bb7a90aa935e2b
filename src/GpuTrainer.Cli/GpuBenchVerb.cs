using CommandLine;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer gpubench`'s options.</summary>
[Verb("gpubench", HelpText = "Measure our GEMM kernel (full: 4096^3, GFLOP/s), the fused Adam step over 100M parameters against a device copy (GB/s) and a 60,000-image LeNet-5 epoch; prints Markdown rows.")]
public sealed class GpuBenchVerb : CheckArgs
{
    [Option("json", HelpText = "Also write the figures as JSON to this file (read by the GPU check script).")]
    public string? Json { get; set; }
}
