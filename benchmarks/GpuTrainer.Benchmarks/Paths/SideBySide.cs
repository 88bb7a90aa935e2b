using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Benchmarks.Workloads;
using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Paths;

/// <summary>
/// Two backends side by side (the `paths` and `scaling` verbs): each workload is prepared on both, run once on each, then
/// timed in <c>samples</c> interleaved pairs (A for about <c>sampleMs</c>, then B as many runs), and printed as a markdown
/// row: each side's median milliseconds per run and the median of the per-sample ratios A / B with their range.
/// </summary>
internal static class SideBySide
{
    /// <summary>Milliseconds per run over <c>reps</c> runs, by process CPU time (what a thread's work costs on a busy machine).</summary>
    public static double CpuMs(PreparedRun run, int reps)
    {
        var start = Process.GetCurrentProcess().TotalProcessorTime;
        Repeat(run, reps);
        return (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds / reps;
    }

    /// <summary>Milliseconds per run over <c>reps</c> runs, by wall time (what a multi-threaded run takes).</summary>
    public static double WallMs(PreparedRun run, int reps)
    {
        var start = Stopwatch.GetTimestamp();
        Repeat(run, reps);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / reps;
    }

    public static void Print(IEnumerable<Workload> workloads, IBackend a, IBackend b, Func<PreparedRun, int, double> ms, int samples, double sampleMs)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var workload in workloads)
        {
            using var runA = workload.Prepare(a);
            using var runB = workload.Prepare(b);
            runA.Run();
            runB.Run();
            var reps = (int)Math.Clamp(sampleMs / Math.Max(0.01, ms(runA, 3)), 1, 100_000);
            var (ta, tb, ratio) = (new double[samples], new double[samples], new double[samples]);
            for (var s = 0; s < samples; s++)
            {
                (ta[s], tb[s]) = (ms(runA, reps), ms(runB, reps));
                ratio[s] = ta[s] / tb[s];
            }

            Array.Sort(ta);
            Array.Sort(tb);
            Array.Sort(ratio);
            Console.WriteLine(string.Create(c, $"| {workload.Label} | {ta[samples / 2]:F3} | {tb[samples / 2]:F3} | {ratio[samples / 2]:F2} ({ratio[0]:F2}..{ratio[^1]:F2}) |"));
        }
    }

    private static void Repeat(PreparedRun run, int reps)
    {
        for (var i = 0; i < reps; i++)
        {
            run.Run();
        }
    }
}
