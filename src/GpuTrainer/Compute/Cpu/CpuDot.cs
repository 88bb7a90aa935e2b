using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// GEMM of the "A B^T" form for a small C with a long, segmented k: C (m,n) = sum over segments s of
/// A_s (m,len) B_s (n,len)^T, where every row of A_s and B_s is contiguous along k. Each C element is a dot
/// product vectorised along k; 3x4 elements are computed together (12 Vector256 accumulators, 7 loads per
/// 12 FMAs, 16 vector registers in all) and reduced horizontally once, after the last segment; elements
/// outside whole 3x4 blocks are single dot products. This is the convolution weight gradient,
/// dW = sum_n dy_n col_n^T, without packing col^T (a transpose the outer-product kernel would need).
/// </summary>
internal static unsafe class CpuDot
{
    private const int Lanes = 8, BlockRows = 3, BlockCols = 4;

    /// <summary>Elements of an (m,n) C that fall outside whole 3x4 blocks (the slow part).</summary>
    public static int Leftover(int m, int n) => m * n - (m - m % BlockRows) * (n - n % BlockCols);

    /// <summary>
    /// Overwrites C, element (i,j) at c[i*rsc + j*csc]. Segment s of A starts at a + s*segA (rows lda apart),
    /// of B at b + s*segB (rows ldb apart); <paramref name="length"/> must be a multiple of 8 (callers zero-pad rows).
    /// </summary>
    public static void Multiply(
        int m, int n, int length, int segments, float* a, long lda, long segA, float* b, long ldb, long segB, float* c, long rsc, long csc)
    {
        int fullRows = m - m % BlockRows, fullCols = n - n % BlockCols;
        for (var i = 0; i < fullRows; i += BlockRows)
        {
            for (var j = 0; j < fullCols; j += BlockCols)
            {
                Block(length, segments, a + i * lda, lda, segA, b + j * ldb, ldb, segB, c + i * rsc + j * csc, rsc, csc);
            }
        }

        for (var i = 0; i < m; i++)
        {
            for (var j = i < fullRows ? fullCols : 0; j < n; j++)
            {
                c[i * rsc + j * csc] = Dot(length, segments, a + i * lda, segA, b + j * ldb, segB);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(
        int length, int segments, float* a, long lda, long segA, float* b, long ldb, long segB, float* c, long rsc, long csc)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        for (var s = 0; s < segments; s++, a += segA, b += segB)
        {
            for (var k = 0; k < length; k += Lanes)
            {
                var a0 = Vector256.Load(a + k);
                var a1 = Vector256.Load(a + lda + k);
                var a2 = Vector256.Load(a + 2 * lda + k);
                var bj = Vector256.Load(b + k);
                c00 = Vector256.MultiplyAddEstimate(a0, bj, c00);
                c10 = Vector256.MultiplyAddEstimate(a1, bj, c10);
                c20 = Vector256.MultiplyAddEstimate(a2, bj, c20);
                bj = Vector256.Load(b + ldb + k);
                c01 = Vector256.MultiplyAddEstimate(a0, bj, c01);
                c11 = Vector256.MultiplyAddEstimate(a1, bj, c11);
                c21 = Vector256.MultiplyAddEstimate(a2, bj, c21);
                bj = Vector256.Load(b + 2 * ldb + k);
                c02 = Vector256.MultiplyAddEstimate(a0, bj, c02);
                c12 = Vector256.MultiplyAddEstimate(a1, bj, c12);
                c22 = Vector256.MultiplyAddEstimate(a2, bj, c22);
                bj = Vector256.Load(b + 3 * ldb + k);
                c03 = Vector256.MultiplyAddEstimate(a0, bj, c03);
                c13 = Vector256.MultiplyAddEstimate(a1, bj, c13);
                c23 = Vector256.MultiplyAddEstimate(a2, bj, c23);
            }
        }

        StoreSums(c, csc, c00, c01, c02, c03);
        StoreSums(c + rsc, csc, c10, c11, c12, c13);
        StoreSums(c + 2 * rsc, csc, c20, c21, c22, c23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums(float* c, long csc, Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        c[0] = Vector256.Sum(s0);
        c[csc] = Vector256.Sum(s1);
        c[2 * csc] = Vector256.Sum(s2);
        c[3 * csc] = Vector256.Sum(s3);
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
