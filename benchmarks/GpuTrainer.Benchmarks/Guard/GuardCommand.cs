using System.Globalization;
using GpuTrainer.Benchmarks.Workloads;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Reference;

namespace GpuTrainer.Benchmarks.Guard;

/// <summary>
/// The throughput guard, <c>GpuTrainer.Benchmarks guard [options]</c>: for every kernel in <see cref="GuardKernels"/>
/// it measures the managed CPU backend's speedup over the float64 reference (both timed now, so the machine's speed
/// cancels) and fails when it falls more than the baseline's margin below the committed speedup. The backend runs on
/// one thread by default, like the reference: on a loaded machine a multi-threaded op loses far more time to
/// descheduled workers than a single-threaded one, which would make the ratio follow the load.
/// Options: --update-baseline (measure and rewrite the baseline file; with --keep-lower an entry is replaced only by a
/// lower speedup, so updates in several processes leave the lowest of them), --smoke (every kernel once at a tiny size;
/// results must be finite and match the float64 reference), --baseline PATH, --margin F (with --update-baseline), --samples N, --threads N (0: every core; default 1, every core for --smoke), --filter TEXT.
/// Exit codes: 0 pass, 1 a kernel regressed, has no baseline or produced non-finite values, 2 bad arguments.
/// </summary>
public static class GuardCommand
{
    private const double DefaultMargin = 0.25;

    public static int Run(string[] args)
    {
        GuardArguments options;
        try
        {
            options = GuardArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"guard: {e.Message}");
            return 2;
        }

        using var yardstick = new ReferenceBackend();
        // Timing: one thread (see above); smoke: every core, so the threaded split runs too.
        using var backend = Backends.Create(DeviceKind.Cpu, options.Threads ?? (options.Smoke ? 0 : 1));
        var kernels = GuardKernels.All(options.Smoke).Where(k => k.Key.Contains(options.Filter, StringComparison.OrdinalIgnoreCase)).ToList();
        return options.Smoke ? Smoke(kernels, yardstick, backend)
            : options.UpdateBaseline ? Update(kernels, yardstick, backend, options)
            : Check(kernels, yardstick, backend, options);
    }

    private static int Smoke(List<Workload> kernels, ReferenceBackend yardstick, IBackend backend)
    {
        var failures = 0;
        foreach (var kernel in kernels)
        {
            using var reference = kernel.Prepare(yardstick);
            using var optimised = kernel.Prepare(backend);
            reference.Run();
            optimised.Run();
            if (Disagreement(reference.Result(), optimised.Result()) is { } problem)
            {
                Console.WriteLine($"FAIL {kernel.Key} on {backend.Name}: {problem}");
                failures++;
            }
        }

        Console.WriteLine($"guard smoke: {kernels.Count} kernels ran once at tiny sizes on {backend.Name} against the float64 reference, {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    // Null when every value is finite and within 1e-3 * (1 + |reference|) of the reference, else what is wrong.
    private static string? Disagreement(float[] expected, float[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (!float.IsFinite(actual[i]) || !float.IsFinite(expected[i]))
            {
                return $"element {i} is {actual[i]} (reference {expected[i]}): not finite";
            }

            if (Math.Abs(actual[i] - expected[i]) > 1e-3 * (1 + Math.Abs(expected[i])))
            {
                return $"element {i} is {actual[i]} but the float64 reference gives {expected[i]}";
            }
        }

        return null;
    }

    private static int Update(List<Workload> kernels, ReferenceBackend yardstick, IBackend backend, GuardArguments options)
    {
        var old = File.Exists(options.BaselinePath) ? GuardBaseline.Load(options.BaselinePath) : null;
        var loadBefore = LoadAverage();
        // A filtered update keeps the other kernels' entries, and so does one that keeps the lower; a full one drops kernels
        // no longer guarded.
        var kept = (options.Filter.Length > 0 || options.KeepLower) && old is not null ? old.Kernels : new SortedDictionary<string, KernelBaseline>();
        var entries = new SortedDictionary<string, KernelBaseline>(kept, StringComparer.Ordinal);
        foreach (var kernel in kernels)
        {
            // Three times the samples of a check: the baseline is what every later check is held to.
            var speedup = Measure(kernel, yardstick, backend, 3 * options.Samples);
            var measured = new KernelBaseline(
                Math.Round(speedup.Ratio, 2), kernel.Throughput(speedup.ReferenceSeconds), kernel.Throughput(speedup.BackendSeconds));
            var keepOld = options.KeepLower && entries.TryGetValue(kernel.Key, out var earlier) && earlier.Speedup <= measured.Speedup;
            if (!keepOld)
            {
                entries[kernel.Key] = measured;
            }

            Console.WriteLine(Row(kernel, speedup, null) + (keepOld ? "  (the file's lower speedup kept)" : ""));
        }

        var baseline = new GuardBaseline(
            options.Margin ?? old?.Margin ?? DefaultMargin, Machine(backend), DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            (options.KeepLower && old?.LoadAverage is { } before ? before + "; then " : "") +
            $"{loadBefore} at the start, {LoadAverage()} at the end (1-minute load average, {Environment.ProcessorCount} CPUs)", entries);
        baseline.Save(options.BaselinePath);
        Console.WriteLine($"guard: wrote {kernels.Count} baselines to {options.BaselinePath}");
        return 0;
    }

    private static int Check(List<Workload> kernels, ReferenceBackend yardstick, IBackend backend, GuardArguments options)
    {
        if (!File.Exists(options.BaselinePath))
        {
            Console.WriteLine($"FAIL no baseline file {options.BaselinePath}; create it with --update-baseline");
            return 1;
        }

        var baseline = GuardBaseline.Load(options.BaselinePath);
        var margin = options.Margin ?? baseline.Margin;
        Console.WriteLine($"guard: {backend.Name} vs the float64 reference, median of {options.Samples} samples, fail below baseline by more than {margin:P0}");
        var failures = new List<string>();
        foreach (var kernel in kernels)
        {
            if (!baseline.Kernels.TryGetValue(kernel.Key, out var expected))
            {
                failures.Add($"FAIL {kernel.Key}: no baseline in {options.BaselinePath}; run with --update-baseline");
                continue;
            }

            var floor = expected.Speedup * (1 - margin);
            var speedup = Measure(kernel, yardstick, backend, options.Samples);
            if (speedup.Ratio < floor)
            {
                // A real regression survives a second, longer measurement; a burst of load on a shared machine does not.
                var again = Measure(kernel, yardstick, backend, 2 * options.Samples);
                speedup = again.Ratio > speedup.Ratio ? again : speedup;
            }

            Console.WriteLine(Row(kernel, speedup, expected.Speedup));
            if (speedup.Ratio < floor)
            {
                failures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"FAIL {kernel.Key}: {speedup.Ratio:F2}x the float64 reference, {1 - speedup.Ratio / expected.Speedup:P0} below the baseline {expected.Speedup:F2}x (allowed {margin:P0})"));
            }
        }

        failures.ForEach(Console.WriteLine);
        Console.WriteLine($"guard: {kernels.Count} kernels, {failures.Count} failed");
        return failures.Count == 0 ? 0 : 1;
    }

    private static Speedup Measure(Workload kernel, ReferenceBackend yardstick, IBackend backend, int samples)
    {
        using var reference = kernel.Prepare(yardstick);
        using var optimised = kernel.Prepare(backend);
        return SpeedupMeter.Measure(reference, optimised, samples);
    }

    private static string Row(Workload kernel, Speedup speedup, double? baseline) => string.Create(
        CultureInfo.InvariantCulture,
        $"{kernel.Key,-26} reference {kernel.Throughput(speedup.ReferenceSeconds),16}  backend {kernel.Throughput(speedup.BackendSeconds),16}  " +
        $"speedup {speedup.Ratio,7:F2}x{(baseline is { } b ? $"  baseline {b,7:F2}x  {speedup.Ratio / b - 1,5:+0%;-0%}" : "")}");

    private static string Machine(IBackend backend)
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} CPUs, {model ?? "unknown CPU"}; {backend.Name}, vector path {Compute.Cpu.CpuVectorPaths.Best}";
    }

    // The 1-minute load average from /proc/loadavg, or "unknown".
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
