using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Benchmarks.Workloads;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Benchmarks.Paths;

/// <summary>
/// `paths`: the managed backend's GEMM paths side by side, AVX2 against AVX-512, on one thread at LeNet-5's shapes
/// (batch 128): conv forward and backward-data, fc1's three GEMMs, a whole training step. Each sample times one path
/// then the other, interleaved, by the process's CPU time (on a machine shared with busy processes, CPU time is what a
/// single thread's work costs; wall time is mostly waiting); it prints medians and the median of the per-sample ratios.
/// </summary>
internal static class PathsCommand
{
    private const int Samples = 9;
    private const double SampleMs = 300;

    public static int Run()
    {
        var c = CultureInfo.InvariantCulture;
        using var avx2 = new CpuBackend(1, CpuVectorPath.Avx2);
        using var avx512 = new CpuBackend(1, CpuVectorPath.Avx512);
        IEnumerable<Workload> workloads =
        [
            .. LeNetWorkloads.Convs(128).Where(w => !w.Label.Contains("bwd-weight", StringComparison.Ordinal)),
            .. LeNetWorkloads.Gemms(128),
            new LeNetStepWorkload(128),
        ];
        Console.WriteLine("| workload | AVX2 (ms CPU) | AVX-512 (ms CPU) | ratio AVX2/AVX-512, median (range) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var workload in workloads)
        {
            using var a = workload.Prepare(avx2);
            using var b = workload.Prepare(avx512);
            a.Run();
            b.Run();
            var reps = (int)Math.Clamp(SampleMs / Math.Max(0.01, CpuMs(a, 3)), 1, 100_000);
            var (ta, tb, ratio) = (new double[Samples], new double[Samples], new double[Samples]);
            for (var s = 0; s < Samples; s++)
            {
                (ta[s], tb[s]) = (CpuMs(a, reps), CpuMs(b, reps));
                ratio[s] = ta[s] / tb[s];
            }

            Array.Sort(ta);
            Array.Sort(tb);
            Array.Sort(ratio);
            Console.WriteLine(string.Create(c, $"| {workload.Label} | {ta[Samples / 2]:F3} | {tb[Samples / 2]:F3} | {ratio[Samples / 2]:F2} ({ratio[0]:F2}..{ratio[^1]:F2}) |"));
        }

        return 0;
    }

    private static double CpuMs(PreparedRun run, int reps)
    {
        var start = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < reps; i++)
        {
            run.Run();
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds / reps;
    }
}
