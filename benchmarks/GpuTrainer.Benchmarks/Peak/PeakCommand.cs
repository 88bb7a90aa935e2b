using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GpuTrainer.Benchmarks.Profile;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GpuTrainer.Benchmarks.Peak;

/// <summary>
/// `peak [SECONDS]`: this machine's FP32 fused-multiply-add peak, the yardstick every speed figure in
/// benchmarks/results/ is given as a share of. Each thread runs <see cref="Chains"/> independent FMA chains (enough to
/// cover the FMA latency times the FMA ports of one core: 4 cycles x 2 ports needs 8, 12 leave room) on the widest
/// vectors the CPU has, Vector512 where Avx512F is supported, else Vector256 with FMA (both are printed where both
/// exist), first on one thread, then on one thread per core. A chain step is one FMA: 2 flops per lane.
/// Two figures per line: GFLOP/s of wall time, and GFLOP/s of each thread's own CPU time summed over the threads
/// (clock_gettime(CLOCK_THREAD_CPUTIME_ID)), which a busy machine does not lower as long as the cores keep their clock;
/// the best of 5 trials each. On a quiet machine the two agree, and the CPU-time figure is the machine's peak.
/// </summary>
internal static class PeakCommand
{
    /// <summary>Independent FMA chains per thread.</summary>
    public const int Chains = 12;

    private const int Trials = 5;

    public static int Run(string[] args)
    {
        var c = CultureInfo.InvariantCulture;
        var seconds = args.Length > 0 ? double.Parse(args[0], c) : 0.5;
        var cores = Environment.ProcessorCount;
        Console.WriteLine(string.Create(c, $"FP32 FMA peak, {Chains} independent chains per thread, best of {Trials} trials of {seconds:F1} s; {cores} logical CPUs, {CpuModel()}"));
        Console.WriteLine("| vectors | threads | GFLOP/s (wall) | GFLOP/s (thread CPU time) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var widths = new List<int>();
        if (Avx512F.IsSupported)
        {
            widths.Add(512);
        }

        if (Fma.IsSupported)
        {
            widths.Add(256);
        }

        if (widths.Count == 0)
        {
            Console.WriteLine("no FMA vectors on this CPU (neither Avx512F nor Fma): no peak to measure");
            return 1;
        }

        foreach (var width in widths)
        {
            foreach (var threads in cores == 1 ? [1] : new[] { 1, cores })
            {
                var (wall, cpu) = Best(width, threads, seconds);
                Console.WriteLine(string.Create(c, $"| Vector{width} FMA | {threads} | {wall:F1} | {cpu:F1} |"));
            }
        }

        return 0;
    }

    /// <summary>The peak on <paramref name="threads"/> threads with the widest FMA vectors: GFLOP/s of thread CPU time (0 without FMA).</summary>
    public static double Measure(int threads, double seconds = 0.3) =>
        Avx512F.IsSupported ? Best(512, threads, seconds).Cpu : Fma.IsSupported ? Best(256, threads, seconds).Cpu : 0;

    /// <summary>LeNet-5 at 28x28, forward and backward (no data gradient into the image), in FLOP per image: 1,131,960 MACs
    /// (conv1 117,600, conv2 240,000, fc 58,920 forward; every weight gradient again; conv2's and the fc layers' data
    /// gradients, 298,920), as scripts/epoch_ratio.py's lenet_flops counts them.</summary>
    public const double LeNetFlopsPerImage = 2_263_920;

    // Best wall and CPU-time GFLOP/s over the trials.
    private static (double Wall, double Cpu) Best(int width, int threads, double seconds)
    {
        // Calibrate: iterations of the chain loop that take about `seconds` on one thread.
        long iterations = 1 << 16;
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            Spin(width, iterations);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (elapsed > 0.05)
            {
                iterations = Math.Max(1, (long)(iterations * seconds / elapsed));
                break;
            }

            iterations *= 4;
        }

        double bestWall = 0, bestCpu = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var cpuSeconds = new double[threads];
            using var ready = new Barrier(threads + 1);
            var workers = new Thread[threads];
            for (var t = 0; t < threads; t++)
            {
                var index = t;
                workers[t] = new Thread(() =>
                {
                    ready.SignalAndWait();
                    var cpu0 = ProcessCpuClock.ThreadNanoseconds();
                    Spin(width, iterations);
                    cpuSeconds[index] = (ProcessCpuClock.ThreadNanoseconds() - cpu0) * 1e-9;
                });
                workers[t].Start();
            }

            ready.SignalAndWait();
            var start = Stopwatch.GetTimestamp();
            foreach (var worker in workers)
            {
                worker.Join();
            }

            var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var flops = FlopsPerIteration(width) * (double)iterations;
            bestWall = Math.Max(bestWall, flops * threads / wall * 1e-9);
            bestCpu = Math.Max(bestCpu, cpuSeconds.Sum(s => flops / s) * 1e-9);
        }

        return (bestWall, bestCpu);
    }

    // The "model name" of /proc/cpuinfo where there is one.
    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        var line = File.Exists(cpuinfo) ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    // Chains x lanes x 2 flops per loop iteration.
    private static double FlopsPerIteration(int width) => Chains * (width / 32) * 2.0;

    private static void Spin(int width, long iterations)
    {
        var sink = width == 512 ? Spin512(iterations) : Spin256(iterations);
        if (sink == 12345.678f)
        {
            Console.Write(string.Empty);
        }
    }

    // 12 accumulators, each acc = acc * m + a per iteration: 12 independent chains of dependent FMAs. m and a keep the
    // accumulators finite (m < 1, so every chain converges to a / (1 - m)).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Spin512(long iterations)
    {
        var m = Vector512.Create(0.999f);
        var a = Vector512.Create(0.001f);
        Vector512<float> c0 = Vector512.Create(0.1f), c1 = Vector512.Create(0.2f), c2 = Vector512.Create(0.3f), c3 = Vector512.Create(0.4f);
        Vector512<float> c4 = Vector512.Create(0.5f), c5 = Vector512.Create(0.6f), c6 = Vector512.Create(0.7f), c7 = Vector512.Create(0.8f);
        Vector512<float> c8 = Vector512.Create(0.9f), c9 = Vector512.Create(1.0f), c10 = Vector512.Create(1.1f), c11 = Vector512.Create(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, m, a);
            c1 = Avx512F.FusedMultiplyAdd(c1, m, a);
            c2 = Avx512F.FusedMultiplyAdd(c2, m, a);
            c3 = Avx512F.FusedMultiplyAdd(c3, m, a);
            c4 = Avx512F.FusedMultiplyAdd(c4, m, a);
            c5 = Avx512F.FusedMultiplyAdd(c5, m, a);
            c6 = Avx512F.FusedMultiplyAdd(c6, m, a);
            c7 = Avx512F.FusedMultiplyAdd(c7, m, a);
            c8 = Avx512F.FusedMultiplyAdd(c8, m, a);
            c9 = Avx512F.FusedMultiplyAdd(c9, m, a);
            c10 = Avx512F.FusedMultiplyAdd(c10, m, a);
            c11 = Avx512F.FusedMultiplyAdd(c11, m, a);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    // As Spin512 on Vector256 with FMA3.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Spin256(long iterations)
    {
        var m = Vector256.Create(0.999f);
        var a = Vector256.Create(0.001f);
        Vector256<float> c0 = Vector256.Create(0.1f), c1 = Vector256.Create(0.2f), c2 = Vector256.Create(0.3f), c3 = Vector256.Create(0.4f);
        Vector256<float> c4 = Vector256.Create(0.5f), c5 = Vector256.Create(0.6f), c6 = Vector256.Create(0.7f), c7 = Vector256.Create(0.8f);
        Vector256<float> c8 = Vector256.Create(0.9f), c9 = Vector256.Create(1.0f), c10 = Vector256.Create(1.1f), c11 = Vector256.Create(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, m, a);
            c1 = Fma.MultiplyAdd(c1, m, a);
            c2 = Fma.MultiplyAdd(c2, m, a);
            c3 = Fma.MultiplyAdd(c3, m, a);
            c4 = Fma.MultiplyAdd(c4, m, a);
            c5 = Fma.MultiplyAdd(c5, m, a);
            c6 = Fma.MultiplyAdd(c6, m, a);
            c7 = Fma.MultiplyAdd(c7, m, a);
            c8 = Fma.MultiplyAdd(c8, m, a);
            c9 = Fma.MultiplyAdd(c9, m, a);
            c10 = Fma.MultiplyAdd(c10, m, a);
            c11 = Fma.MultiplyAdd(c11, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
