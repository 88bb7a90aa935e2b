using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// Throughput of the device's hot paths: our FP32 GEMM kernel (GFLOP/s), the fused Adam step against a
/// device-to-device copy of the same bytes (GB/s), and LeNet-5 training epochs of models of 1, 4 and 16 members (<see cref="LeNetEpochBench"/>).
/// Every timing waits for the device before and after, and follows one untimed warm-up.
/// </summary>
public static class DeviceBench
{
    // Adam reads p, g, m, v and writes p, m, v: 7 floats of traffic per parameter.
    private const int AdamBytesPerParameter = 7 * sizeof(float);

    /// <summary>Runs every measurement on <paramref name="backend"/>; each result also goes to <paramref name="onResult"/> as it is made.</summary>
    public static IReadOnlyList<BenchResult> Run(IBackend backend, BenchSizes sizes, Action<BenchResult>? onResult = null)
    {
        var results = new List<BenchResult>();
        void Add(BenchResult result)
        {
            results.Add(result);
            onResult?.Invoke(result);
        }

        Add(Gemm(backend, sizes.GemmSize, sizes.Repeats));
        foreach (var result in AdamAndCopy(backend, sizes.AdamParameters, sizes.Repeats))
        {
            Add(result);
        }

        foreach (var result in LeNetEpochBench.Run(backend, sizes.Images, sizes.Batch))
        {
            Add(result);
        }

        return results;
    }

    /// <summary>Mean seconds of <paramref name="operation"/> over <paramref name="repeats"/> runs after one warm-up.</summary>
    internal static double Time(IBackend backend, int repeats, Action operation)
    {
        operation();
        backend.Synchronize();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            operation();
        }

        backend.Synchronize();
        return clock.Elapsed.TotalSeconds / repeats;
    }

    private static BenchResult Gemm(IBackend backend, int n, int repeats)
    {
        var shape = new GemmShape(n, n, n);
        using var a = backend.Allocate(n * n);
        using var b = backend.Allocate(n * n);
        using var c = backend.Allocate(n * n);
        backend.Fill(a.All, 0.5f);
        backend.Fill(b.All, 0.25f);
        var seconds = Time(backend, repeats, () => backend.Gemm(shape, 1f, a.All, b.All, 0f, c.All));
        return new BenchResult(
            "gemm_gflops", $"GEMM {n}x{n}x{n} FP32 (our GEMM)", shape.Flops / seconds / 1e9, "GFLOP/s", $"NN, beta 0, mean of {repeats} after a warm-up");
    }

    private static IEnumerable<BenchResult> AdamAndCopy(IBackend backend, int parameters, int repeats)
    {
        var bytes = (double)parameters * AdamBytesPerParameter;
        double adamSeconds;
        using (var arena = backend.Allocate(checked(4 * parameters)))
        {
            var p = arena.Slice(0, parameters);
            var g = arena.Slice(parameters, parameters);
            var m = arena.Slice(2 * parameters, parameters);
            var v = arena.Slice(3 * parameters, parameters);
            backend.Fill(p, 0.5f);
            backend.Fill(g, 0.01f);
            var row = new float[OptimizerTable.RowFloats];
            OptimizerTable.Write(row, new AdamHyper(1e-3, 10));
            using var table = OptimizerTable.Upload(backend, row);
            adamSeconds = Time(backend, repeats, () => backend.OptimizerStep(p, g, m, v, table.All));
        }

        yield return new BenchResult(
            "adam_gbps", $"fused Adam step, {parameters:N0} parameters", bytes / adamSeconds / 1e9, "GB/s",
            $"{adamSeconds * 1e3:F3} ms per step; 28 bytes per parameter (read p,g,m,v; write p,m,v)");

        // A copy moving the same bytes: half read, half written.
        var floats = checked((int)(bytes / 2 / sizeof(float)));
        using var source = backend.Allocate(floats);
        using var target = backend.Allocate(floats);
        var driver = DriverCopy(backend, source.All, target.All);
        if (driver is not null)
        {
            var seconds = Time(backend, repeats, driver);
            yield return new BenchResult(
                "copy_gbps", "device-to-device copy (ILGPU MemoryBuffer copy)", bytes / seconds / 1e9, "GB/s",
                $"{floats:N0} floats, the same bytes as one Adam step (read + write)");
        }

        var kernelSeconds = Time(backend, repeats, () => backend.Copy(source.All, target.All));
        yield return new BenchResult(
            "copy_kernel_gbps", "device-to-device copy (IBackend.Copy)", bytes / kernelSeconds / 1e9, "GB/s",
            $"{floats:N0} floats, the same bytes as one Adam step (read + write)");
    }

    // The driver's own copy (cuMemcpy and the like) on the ILGPU backend; null for other backends.
    private static Action? DriverCopy(IBackend backend, Tensor source, Tensor target) =>
        backend is IlgpuBackend ilgpu ? () => ilgpu.DriverCopy(source, target) : null;
}
