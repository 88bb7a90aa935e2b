using GpuTrainer.Bench;
using GpuTrainer.Compute;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer gpubench`: device throughput figures as Markdown rows.</summary>
public static class GpuBenchCommand
{
    public static int Execute(GpuBenchVerb v, TextWriter output)
    {
        BenchRunner.Run(Backends.Parse(v.Device), OptionNames.Size(v.Size), v.Threads, output, v.Json);
        return ExitCodes.Ok;
    }
}
