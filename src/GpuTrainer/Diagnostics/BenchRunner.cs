using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Training;

namespace GpuTrainer.Diagnostics;

/// <summary>Opens a device, runs <see cref="DeviceBench"/> and prints Markdown rows (optionally JSON for scripts).</summary>
public static class BenchRunner
{
    /// <summary>Prints a Markdown table row by row as the measurements finish; writes <paramref name="jsonPath"/> at the end when given.</summary>
    /// <param name="kind">The device to measure.</param>
    /// <param name="size">Full (GEMM 4096^3, Adam 100M, 60,000 images) or small.</param>
    /// <param name="threads">Threads of the managed CPU backend; 0 means every core.</param>
    /// <param name="output">Where the rows go.</param>
    /// <param name="jsonPath">Optional file for { device, size, results: [{ key, name, value, unit, detail }] }.</param>
    public static IReadOnlyList<BenchResult> Run(DeviceKind kind, CheckSize size, int threads, TextWriter output, string? jsonPath = null)
    {
        using var backend = Backends.Create(kind, threads);
        output.WriteLine($"gpubench ({size.ToString().ToLowerInvariant()}) on {backend.Name}");
        output.WriteLine();
        output.WriteLine("| measurement | value | unit | how |");
        output.WriteLine("|---|---:|---|---|");
        var results = DeviceBench.Run(backend, BenchSizes.For(size), r => output.WriteLine(Row(r)));
        if (jsonPath is not null)
        {
            var report = new { Device = backend.Name, Size = size.ToString().ToLowerInvariant(), Results = results };
            RunJson.Write(jsonPath, report);
        }

        return results;
    }

    private static string Row(BenchResult r) => string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Value:G4} | {r.Unit} | {r.Detail} |");
}
