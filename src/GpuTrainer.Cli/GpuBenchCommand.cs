using GpuTrainer.Compute;
using GpuTrainer.Diagnostics;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer gpubench`: device throughput figures as Markdown rows.</summary>
public static class GpuBenchCommand
{
    public static int Execute(GpuBenchOptions o, TextWriter output)
    {
        BenchRunner.Run(Backends.Parse(o.Device), Parsing.Size(o.Size), o.Threads, output, o.Json);
        return ExitCodes.Ok;
    }
}
