using GpuTrainer.Benchmarks.Paths;
using GpuTrainer.Benchmarks.Workloads;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Benchmarks.Scaling;

/// <summary>
/// `scaling [FILTER]`: how each LeNet-5 workload (batch 128: every convolution pass, fc1's GEMMs, both max-pools, a whole
/// step) speeds up from one thread to two on the managed backend, by wall time (<see cref="SideBySide"/>: 7 interleaved
/// samples of about 100 ms); only the workloads whose label contains FILTER, when given.
/// </summary>
internal static class ScalingCommand
{
    public static int Run(string[] args)
    {
        var filter = args.FirstOrDefault() ?? string.Empty;
        using var one = new CpuBackend(1);
        using var two = new CpuBackend(2);
        IEnumerable<Workload> workloads =
        [
            .. LeNetWorkloads.Convs(128),
            .. LeNetWorkloads.Gemms(128),
            .. LeNetWorkloads.MaxPools(128),
            new LeNetStepWorkload(128),
        ];
        Console.WriteLine("| workload | 1 thread (ms wall) | 2 threads (ms wall) | speed-up, median (range) |");
        Console.WriteLine("|---|---:|---:|---:|");
        SideBySide.Print(workloads.Where(w => w.Label.Contains(filter, StringComparison.Ordinal)), one, two, SideBySide.WallMs, 7, 100);
        return 0;
    }
}
