using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Benchmarks.Workloads;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Benchmarks.Scaling;

/// <summary>
/// `scaling [FILTER]`: how each LeNet-5 workload (batch 128: every convolution pass, fc1's GEMMs, both max-pools, a whole
/// step) speeds up from one thread to two on the managed backend: each sample times the op repeated alone for about
/// 100 ms on one thread, then on two, interleaved; prints the medians of wall time per run and of the ratio.
/// </summary>
internal static class ScalingCommand
{
    private const int Samples = 7;
    private const double SampleMs = 100;

    public static int Run(string[] args)
    {
        var c = CultureInfo.InvariantCulture;
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
        Console.WriteLine("| workload | 1 thread (ms wall) | 2 threads (ms wall) | speedup, median (range) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var workload in workloads.Where(w => w.Label.Contains(filter, StringComparison.Ordinal)))
        {
            using var a = workload.Prepare(one);
            using var b = workload.Prepare(two);
            var (ta, tb, ratios) = (new List<double>(), new List<double>(), new List<double>());
            var reps = Repeats(a);
            Time(b, reps);
            for (var i = 0; i < Samples; i++)
            {
                var x = Time(a, reps);
                var y = Time(b, reps);
                ta.Add(x);
                tb.Add(y);
                ratios.Add(x / y);
            }

            Console.WriteLine(string.Create(c,
                $"| {workload.Label} | {Median(ta):F3} | {Median(tb):F3} | {Median(ratios):F2} ({ratios.Min():F2}..{ratios.Max():F2}) |"));
        }

        return 0;
    }

    private static int Repeats(PreparedRun run)
    {
        run.Run();
        var start = Stopwatch.GetTimestamp();
        run.Run();
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return Math.Max(1, (int)(SampleMs / Math.Max(ms, 1e-3)));
    }

    // Milliseconds of wall time per run.
    private static double Time(PreparedRun run, int reps)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < reps; i++)
        {
            run.Run();
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / reps;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
