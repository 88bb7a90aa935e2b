using System.Diagnostics;
using System.Globalization;
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
        var c = CultureInfo.InvariantCulture;
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
