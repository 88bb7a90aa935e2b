namespace GpuTrainer.Diagnostics;

/// <summary>One measured figure of the device benchmark.</summary>
/// <param name="Key">Stable machine-readable name, e.g. "gemm_gflops" (the GPU check script reads these).</param>
/// <param name="Name">What was measured, for people.</param>
/// <param name="Value">The figure.</param>
/// <param name="Unit">"GFLOP/s", "GB/s", "s" or "ms".</param>
/// <param name="Detail">How it was measured (sizes, repeats, what the time includes).</param>
public sealed record BenchResult(string Key, string Name, double Value, string Unit, string Detail);
