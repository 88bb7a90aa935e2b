using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Which instructions the managed backend's GEMM micro-kernel uses. Every path sums each element of C in the same
/// order with fused multiply-adds, so on a CPU with FMA all three give bit-identical results; they differ only in speed.
/// </summary>
internal enum CpuVectorPath
{
    /// <summary>One float at a time (<see cref="MathF.FusedMultiplyAdd"/>), 6x16 tiles: the fallback and the yardstick.</summary>
    Scalar,

    /// <summary>Vector256 (AVX2 + FMA), 6x16 tiles: 12 ymm accumulators.</summary>
    Avx2,

    /// <summary>Vector512 (AVX-512F), 6x32 tiles: 12 zmm accumulators, twice the work per instruction (the default where Vector512 is accelerated: <see cref="CpuVectorPaths"/>).</summary>
    Avx512,
}

/// <summary>
/// The path the managed backend takes unless told otherwise: AVX-512 where the CPU accelerates Vector512, else AVX2 where
/// it accelerates Vector256, else scalar. The paths give the same bits, so the choice is one of speed only. On a CPU with
/// full-width 512-bit FMA units AVX-512 doubles the peak: on the 2-core AMD EPYC (Zen 5) of 2026-12-06, `peak` measured
/// 215 GFLOP/s per core with Vector512 against 108 with Vector256, and `paths` (one thread, CPU time, load 7) gave fc1's
/// GEMMs 1.37-1.59x and conv2's backward-data 1.19x faster on AVX-512, the convolutions with direct kernels unchanged.
/// (On the Intel Xeon of 2026-12-01, whose 512-bit FMAs did not pay at LeNet-5's shapes, benchmarks/results/cpu-avx512.md,
/// AVX2 was the default.)
/// </summary>
internal static class CpuVectorPaths
{
    /// <summary>The default path on this CPU.</summary>
    public static CpuVectorPath Best { get; } =
        Vector512.IsHardwareAccelerated ? CpuVectorPath.Avx512 : Vector256.IsHardwareAccelerated ? CpuVectorPath.Avx2 : CpuVectorPath.Scalar;
}
