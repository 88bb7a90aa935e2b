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

    /// <summary>Vector512 (AVX-512F), 6x32 tiles: 12 zmm accumulators, twice the work per instruction.</summary>
    Avx512,
}

/// <summary>The path the managed backend takes unless told otherwise.</summary>
internal static class CpuVectorPaths
{
    /// <summary>The widest path this CPU runs in hardware.</summary>
    public static CpuVectorPath Best { get; } =
        Vector512.IsHardwareAccelerated ? CpuVectorPath.Avx512 : Vector256.IsHardwareAccelerated ? CpuVectorPath.Avx2 : CpuVectorPath.Scalar;
}
