using GpuTrainer.Compute;
using GpuTrainer.Diagnostics;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer gpubench`: device throughput figures as Markdown rows.</summary>
public static class GpuBenchCommand
{
    public static int Execute(GpuBenchVerb v, TextWriter output)
    {
        BenchRunner.Run(Backends.Parse(v.Device), CheckSizeNames.Parse(v.Size), v.Threads, output, v.Json);
        return ExitCodes.Ok;
    }
}
