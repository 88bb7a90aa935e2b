using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Single-precision GEMM, BLIS style: C (m,n) = alpha * A (m,k) B (k,n) + beta * C with
/// A(i,p) = a[i*rsA + p*csA], B(p,j) = b[p*rsB + j*csB], C(i,j) = c[i*ldc + j].
/// A transposed operand is just another pair of strides: packing copies A into zero-padded panels of
/// <see cref="Mr"/> rows and B into panels of <see cref="Nr"/> columns, k-major, so the 6x16 register-blocked
/// micro-kernel (12 Vector256 accumulators, one FMA per accumulator per k) streams contiguous memory.
/// A is packed whole, once per product (or once for many, see <see cref="MultiplyPacked"/>); B is packed per
/// block of <see cref="Kc"/> x <see cref="Nc"/>. Cache blocking: Kc along k (a B panel stays in L1), <see cref="Mc"/>
/// rows of packed A per pass over the B block (L2).
/// Determinism: an element of C is always summed in the same order (only Kc decides it), however the
/// work is split across threads, so results do not depend on the thread count.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuGemm
{
    public const int Mr = 6, Nr = 16;
    private const int Kc = 256, Mc = 16 * Mr, Nc = 64 * Nr;

    // GEMMs smaller than this (in flops) stay on the calling thread: a fork costs more than it saves.
    private const double ParallelFlops = 1 << 18;

    /// <summary>The batched, strided GEMM of <see cref="IBackend.Gemm"/>, split across threads.</summary>
    public static void Batched(GemmShape s, float alpha, float* a, float* b, float beta, float* c, CpuParallel parallel)
    {
        long rsA = s.TransA ? 1 : s.K, csA = s.TransA ? s.M : 1;
        long rsB = s.TransB ? 1 : s.N, csB = s.TransB ? s.K : 1;
        var threads = s.Flops < ParallelFlops ? 1 : parallel.Threads;
        if (s.Batch >= threads)
        {
            // A broadcast A (stride 0) is packed once for every batch.
            var shared = s.StrideA == 0 ? CpuScratch.Shared(PackedASize(s.M, s.K)) : null;
            if (shared != null)
            {
                PackA(s.M, s.K, a, rsA, csA, shared);
            }

            var parts = Math.Min(s.Batch, threads);
            parallel.For(parts, part =>
            {
                var (first, end) = CpuParallel.Range(s.Batch, parts, part);
                for (var batch = first; batch < end; batch++)
                {
                    float* bb = b + batch * s.StrideB, cb = c + batch * s.StrideC;
                    if (shared != null)
                    {
                        MultiplyPacked(s.M, s.N, s.K, alpha, shared, bb, rsB, csB, beta, cb, s.N);
                    }
                    else
                    {
                        Multiply(s.M, s.N, s.K, alpha, a + batch * s.StrideA, rsA, csA, bb, rsB, csB, beta, cb, s.N);
                    }
                }
            });
            return;
        }

        // Fewer matrices than threads: split each one's rows (or columns, if it has fewer column panels)
        // into ranges aligned to the micro-tile.
        for (var batch = 0; batch < s.Batch; batch++)
        {
            float* ab = a + batch * s.StrideA, bb = b + batch * s.StrideB, cb = c + batch * s.StrideC;
            int rowPanels = (s.M + Mr - 1) / Mr, colPanels = (s.N + Nr - 1) / Nr;
            var byRows = rowPanels >= colPanels;
            var parts = Math.Min(threads, byRows ? rowPanels : colPanels);
            parallel.For(parts, part =>
            {
                var (first, end) = CpuParallel.Range(byRows ? rowPanels : colPanels, parts, part);
                if (byRows)
                {
                    int i0 = first * Mr, i1 = Math.Min(s.M, end * Mr);
                    Multiply(i1 - i0, s.N, s.K, alpha, ab + i0 * rsA, rsA, csA, bb, rsB, csB, beta, cb + (long)i0 * s.N, s.N);
                }
                else
                {
                    int j0 = first * Nr, j1 = Math.Min(s.N, end * Nr);
                    Multiply(s.M, j1 - j0, s.K, alpha, ab, rsA, csA, bb + j0 * csB, rsB, csB, beta, cb + j0, s.N);
                }
            });
        }
    }

    /// <summary>Floats that <see cref="PackA"/> writes for an (m,k) A.</summary>
    public static long PackedASize(int m, int k) => (long)RoundUp(m, Mr) * k;

    /// <summary>One GEMM on the calling thread. beta = 0 ignores C's old contents (even NaN).</summary>
    public static void Multiply(
        int m, int n, int k, float alpha, float* a, long rsA, long csA, float* b, long rsB, long csB, float beta, float* c, long ldc)
    {
        var packedA = CpuScratch.PackedA(PackedASize(m, k));
        PackA(m, k, a, rsA, csA, packedA);
        MultiplyPacked(m, n, k, alpha, packedA, b, rsB, csB, beta, c, ldc);
    }

    /// <summary>
    /// Packs all of A (m,k) for <see cref="MultiplyPacked"/>: per k-block of <see cref="Kc"/>, a region of
    /// RoundUp(m, Mr) x kc floats holding panels of Mr rows, k-major, zero beyond m.
    /// </summary>
    public static void PackA(int m, int k, float* a, long rsA, long csA, float* packed)
    {
        var paddedM = RoundUp(m, Mr);
        for (var pc = 0; pc < k; pc += Kc)
        {
            PackPanelsA(m, Math.Min(Kc, k - pc), a + pc * csA, rsA, csA, packed + (long)pc * paddedM);
        }
    }

    /// <summary>
    /// C (m,n) = alpha * A B + beta * C on the calling thread, with A packed by <see cref="PackA"/>, so that an
    /// operand shared by many products (a convolution's weight) is packed once.
    /// </summary>
    public static void MultiplyPacked(int m, int n, int k, float alpha, float* packedA, float* b, long rsB, long csB, float beta, float* c, long ldc)
    {
        var packedB = CpuScratch.PackedB(Kc * Nc);
        var edge = stackalloc float[Mr * Nr];
        var paddedM = RoundUp(m, Mr);
        for (var jc = 0; jc < n; jc += Nc)
        {
            var nc = Math.Min(Nc, n - jc);
            for (var pc = 0; pc < k; pc += Kc)
            {
                var kc = Math.Min(Kc, k - pc);
                var blockBeta = pc == 0 ? beta : 1f;
                var blockA = packedA + (long)pc * paddedM;
                PackB(kc, nc, b + pc * rsB + jc * csB, rsB, csB, packedB);
                for (var ic = 0; ic < m; ic += Mc)
                {
                    var mc = Math.Min(Mc, m - ic);
                    for (var j = 0; j < nc; j += Nr)
                    {
                        for (var i = ic; i < ic + mc; i += Mr)
                        {
                            Tile(kc, blockA + i * kc, packedB + j * kc, c + i * ldc + jc + j, ldc,
                                Math.Min(Mr, m - i), Math.Min(Nr, nc - j), alpha, blockBeta, edge);
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // packed (RoundUp(m,Mr)/Mr panels, kc, Mr): panel q holds rows q*Mr.. of A, zero beyond m.
    // Loops run along whichever stride of A is 1, so reads are contiguous for both layouts.
    private static void PackPanelsA(int m, int kc, float* a, long rsA, long csA, float* packed)
    {
        for (var i0 = 0; i0 < m; i0 += Mr, packed += Mr * kc, a += Mr * rsA)
        {
            var rows = Math.Min(Mr, m - i0);
            if (csA == 1)
            {
                for (var r = 0; r < rows; r++)
                {
                    var src = a + r * rsA;
                    for (var p = 0; p < kc; p++)
                    {
                        packed[p * Mr + r] = src[p];
                    }
                }
            }
            else
            {
                for (var p = 0; p < kc; p++)
                {
                    var src = a + p * csA;
                    for (var r = 0; r < rows; r++)
                    {
                        packed[p * Mr + r] = src[r * rsA];
                    }
                }
            }

            for (var r = rows; r < Mr; r++)
            {
                for (var p = 0; p < kc; p++)
                {
                    packed[p * Mr + r] = 0f;
                }
            }
        }
    }

    // packed (nc/Nr panels, kc, Nr): panel q holds columns q*Nr.. of B, zero beyond nc.
    // Row-major B is copied 16 floats at a time; transposed B is read column by column.
    private static void PackB(int kc, int nc, float* b, long rsB, long csB, float* packed)
    {
        for (var j0 = 0; j0 < nc; j0 += Nr, packed += Nr * kc, b += Nr * csB)
        {
            var cols = Math.Min(Nr, nc - j0);
            if (csB == 1 && cols == Nr)
            {
                for (var p = 0; p < kc; p++)
                {
                    Vector256.Store(Vector256.Load(b + p * rsB), packed + p * Nr);
                    Vector256.Store(Vector256.Load(b + p * rsB + 8), packed + p * Nr + 8);
                }

                continue;
            }

            if (csB == 1)
            {
                for (var p = 0; p < kc; p++)
                {
                    for (var j = 0; j < cols; j++)
                    {
                        packed[p * Nr + j] = b[p * rsB + j];
                    }
                }
            }
            else
            {
                for (var j = 0; j < cols; j++)
                {
                    var src = b + j * csB;
                    for (var p = 0; p < kc; p++)
                    {
                        packed[p * Nr + j] = src[p * rsB];
                    }
                }
            }

            for (var p = 0; p < kc; p++)
            {
                for (var j = cols; j < Nr; j++)
                {
                    packed[p * Nr + j] = 0f;
                }
            }
        }
    }

    // C tile (rows<=Mr, cols<=Nr) = alpha * packedA panel x packedB panel + beta * C. A partial tile is
    // computed into `edge` (Mr x Nr) first and then combined with C using the same arithmetic
    // (alpha * acc, then + beta * C): whole rows as vectors, a partial row element by element.
    private static void Tile(int kc, float* pa, float* pb, float* c, long ldc, int rows, int cols, float alpha, float beta, float* edge)
    {
        if (rows == Mr && cols == Nr)
        {
            MicroKernel(kc, pa, pb, c, ldc, alpha, beta);
            return;
        }

        MicroKernel(kc, pa, pb, edge, Nr, alpha, 0f);
        for (var r = 0; r < rows; r++)
        {
            float* source = edge + r * Nr, target = c + r * ldc;
            if (cols == Nr)
            {
                StoreRow(target, Vector256.Load(source), Vector256.Load(source + 8), 1f, beta);
                continue;
            }

            for (var j = 0; j < cols; j++)
            {
                target[j] = beta == 0 ? source[j] : source[j] + beta * target[j];
            }
        }
    }

    // The full 6x16 tile: 12 accumulators stay in registers for the whole k loop (this method calls
    // nothing, so the JIT has no reason to spill them).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel(int kc, float* pa, float* pb, float* c, long ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, pa += Mr, pb += Nr)
        {
            var b0 = Vector256.Load(pb);
            var b1 = Vector256.Load(pb + 8);
            var a0 = Vector256.Create(pa[0]);
            c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector256.Create(pa[1]);
            c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector256.Create(pa[2]);
            c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector256.Create(pa[3]);
            c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
            var a4 = Vector256.Create(pa[4]);
            c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
            var a5 = Vector256.Create(pa[5]);
            c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
        }

        StoreRow(c, c00, c01, alpha, beta);
        StoreRow(c + ldc, c10, c11, alpha, beta);
        StoreRow(c + 2 * ldc, c20, c21, alpha, beta);
        StoreRow(c + 3 * ldc, c30, c31, alpha, beta);
        StoreRow(c + 4 * ldc, c40, c41, alpha, beta);
        StoreRow(c + 5 * ldc, c50, c51, alpha, beta);
    }

    // c[0..16) = alpha * acc + beta * c; beta = 0 never reads c, and alpha = 1 (exact anyway) skips the scaling.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> left, Vector256<float> right, float alpha, float beta)
    {
        if (alpha != 1)
        {
            var scale = Vector256.Create(alpha);
            left *= scale;
            right *= scale;
        }

        if (beta != 0)
        {
            var b = Vector256.Create(beta);
            left += b * Vector256.Load(c);
            right += b * Vector256.Load(c + 8);
        }

        Vector256.Store(left, c);
        Vector256.Store(right, c + 8);
    }
}
