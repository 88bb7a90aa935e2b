using System.Diagnostics;
using GpuTrainer.Benchmarks.Workloads;

namespace GpuTrainer.Benchmarks.Guard;

/// <summary>One kernel's measurement: median seconds per run of the reference and of the backend, and the median of their per-sample ratio.</summary>
public readonly record struct Speedup(double ReferenceSeconds, double BackendSeconds, double Ratio);

/// <summary>
/// Times a prepared reference and a prepared backend run against each other with a Stopwatch: one warm-up run
/// each, then <c>samples</c> interleaved samples of each (every sample repeats the op for about
/// <see cref="SampleSeconds"/>), so machine load that comes and goes hits both sides of a ratio alike.
/// </summary>
internal static class SpeedupMeter
{
    public const double SampleSeconds = 0.08;

    public static Speedup Measure(PreparedRun reference, PreparedRun backend, int samples)
    {
        var referenceReps = Repetitions(reference);
        var backendReps = Repetitions(backend);
        var referenceTimes = new double[samples];
        var backendTimes = new double[samples];
        var ratios = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            referenceTimes[s] = SecondsPerRun(reference, referenceReps);
            backendTimes[s] = SecondsPerRun(backend, backendReps);
            ratios[s] = referenceTimes[s] / backendTimes[s];
        }

        return new Speedup(Median(referenceTimes), Median(backendTimes), Median(ratios));
    }

    // Warms the op up and returns how many runs fill one sample.
    private static int Repetitions(PreparedRun run)
    {
        run.Run();
        var once = SecondsPerRun(run, 1);
        return (int)Math.Clamp(Math.Ceiling(SampleSeconds / once), 1, 1_000_000);
    }

    private static double SecondsPerRun(PreparedRun run, int repetitions)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repetitions; i++)
        {
            run.Run();
        }

        return clock.Elapsed.TotalSeconds / repetitions;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
