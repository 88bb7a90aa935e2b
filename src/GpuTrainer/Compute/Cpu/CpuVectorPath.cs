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

    /// <summary>Vector512 (AVX-512F), 6x32 tiles: 12 zmm accumulators, twice the work per instruction (measured, not the default: <see cref="CpuVectorPaths"/>).</summary>
    Avx512,
}

/// <summary>
/// The path the managed backend takes unless told otherwise: AVX2 where the CPU accelerates Vector256, else scalar.
/// AVX-512 is not taken even where the CPU has it: on this project's 2-core Xeon (avx512f/bw/vl) it did not pay at
/// LeNet-5's shapes (batch 128, one thread, CPU time, AVX2 / AVX-512): convolutions 0.96-1.18, fc1's GEMMs 1.10-1.15,
/// a whole training step 0.87 in one run and 0.58-0.67 in another (benchmarks/results/cpu-avx512.md). The k loops are
/// short (25, 150, 6, 16 deep for the convolutions), so packing and stores, not FMAs, bound the micro-kernel.
/// </summary>
internal static class CpuVectorPaths
{
    /// <summary>The default path on this CPU.</summary>
    public static CpuVectorPath Best { get; } = Vector256.IsHardwareAccelerated ? CpuVectorPath.Avx2 : CpuVectorPath.Scalar;
}
