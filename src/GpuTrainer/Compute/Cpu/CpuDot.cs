using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// GEMM of the "A B^T" form for a small C with a long, segmented k: C (m,n) = sum over segments s of
/// A_s (m,len) B_s (n,len)^T, where every row of A_s and B_s is contiguous along k. Each C element is a dot
/// product vectorised along k; 2x4 elements are computed together (8 Vector256 accumulators, 6 loads per
/// 8 FMAs) and reduced horizontally once, after the last segment. This is the convolution weight gradient,
/// dW = sum_n dy_n col_n^T, without packing col^T (a transpose the outer-product kernel would need).
/// </summary>
internal static unsafe class CpuDot
{
    private const int Lanes = 8;

    /// <summary>
    /// Overwrites C. Segment s of A starts at a + s*segA (rows lda apart), of B at b + s*segB (rows ldb apart);
    /// <paramref name="length"/> must be a multiple of 8 (callers zero-pad rows).
    /// </summary>
    public static void Multiply(int m, int n, int length, int segments, float* a, long lda, long segA, float* b, long ldb, long segB, float* c, long ldc)
    {
        var i = 0;
        for (; i + 2 <= m; i += 2)
        {
            var j = 0;
            for (; j + 4 <= n; j += 4)
            {
                Block2x4(length, segments, a + i * lda, lda, segA, b + j * ldb, ldb, segB, c + i * ldc + j, ldc);
            }

            for (; j < n; j++)
            {
                c[i * ldc + j] = Dot(length, segments, a + i * lda, segA, b + j * ldb, segB);
                c[(i + 1) * ldc + j] = Dot(length, segments, a + (i + 1) * lda, segA, b + j * ldb, segB);
            }
        }

        for (; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                c[i * ldc + j] = Dot(length, segments, a + i * lda, segA, b + j * ldb, segB);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block2x4(int length, int segments, float* a, long lda, long segA, float* b, long ldb, long segB, float* c, long ldc)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        for (var s = 0; s < segments; s++, a += segA, b += segB)
        {
            for (var k = 0; k < length; k += Lanes)
            {
                var a0 = Vector256.Load(a + k);
                var a1 = Vector256.Load(a + lda + k);
                var b0 = Vector256.Load(b + k);
                c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
                c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
                var b1 = Vector256.Load(b + ldb + k);
                c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
                c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
                var b2 = Vector256.Load(b + 2 * ldb + k);
                c02 = Vector256.MultiplyAddEstimate(a0, b2, c02);
                c12 = Vector256.MultiplyAddEstimate(a1, b2, c12);
                var b3 = Vector256.Load(b + 3 * ldb + k);
                c03 = Vector256.MultiplyAddEstimate(a0, b3, c03);
                c13 = Vector256.MultiplyAddEstimate(a1, b3, c13);
            }
        }

        c[0] = Vector256.Sum(c00);
        c[1] = Vector256.Sum(c01);
        c[2] = Vector256.Sum(c02);
        c[3] = Vector256.Sum(c03);
        c[ldc] = Vector256.Sum(c10);
        c[ldc + 1] = Vector256.Sum(c11);
        c[ldc + 2] = Vector256.Sum(c12);
        c[ldc + 3] = Vector256.Sum(c13);
    }

    // One element, the same way: a vector accumulator over every segment, reduced once.
    private static float Dot(int length, int segments, float* a, long segA, float* b, long segB)
    {
        var acc = Vector256<float>.Zero;
        for (var s = 0; s < segments; s++, a += segA, b += segB)
        {
            for (var k = 0; k < length; k += Lanes)
            {
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(a + k), Vector256.Load(b + k), acc);
            }
        }

        return Vector256.Sum(acc);
    }
}
