using GpuTrainer.Benchmarks.Workloads;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Benchmarks.Paths;

/// <summary>
/// `paths [FILTER]`: the managed backend's vector paths side by side, AVX2 against AVX-512, on one thread at LeNet-5's
/// shapes (batch 128): every convolution pass, fc1's three GEMMs, a whole training step (only the workloads whose label
/// contains FILTER, when given). With `--scalar` the first column is the scalar path instead of AVX2 (for the backward-
/// weight pass that is variant 1, im2col + CpuDot, the yardstick of the vector variants). Each sample times one path
/// then the other, interleaved, by the process's CPU time (on a machine shared with busy processes, CPU time is what a
/// single thread's work costs; wall time is mostly waiting); it prints medians and the median of the per-sample ratios.
/// </summary>
internal static class PathsCommand
{
    private const int Samples = 9;
    private const double SampleMs = 300;

    public static int Run(string[] args)
    {
        var scalar = args.Contains("--scalar");
        var filter = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? string.Empty;
        var first = scalar ? CpuVectorPath.Scalar : CpuVectorPath.Avx2;
        using var avx2 = new CpuBackend(1, first);
        using var avx512 = new CpuBackend(1, CpuVectorPath.Avx512);
        IEnumerable<Workload> workloads =
        [
            .. LeNetWorkloads.Convs(128),
            .. LeNetWorkloads.Gemms(128),
            new LeNetStepWorkload(128),
        ];
        workloads = workloads.Where(w => w.Label.Contains(filter, StringComparison.Ordinal));
        Console.WriteLine($"| workload | {first} (ms CPU) | AVX-512 (ms CPU) | ratio {first}/AVX-512, median (range) |");
        Console.WriteLine("|---|---:|---:|---:|");
        SideBySide.Print(workloads, avx2, avx512, SideBySide.CpuMs, Samples, SampleMs);
        return 0;
    }
}
