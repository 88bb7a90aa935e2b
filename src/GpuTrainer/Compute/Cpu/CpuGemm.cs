using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Single-precision GEMM, BLIS style: C (m,n) = alpha * A (m,k) B (k,n) + beta * C with
/// A(i,p) = a[i*rsA + p*csA], B(p,j) = b[p*rsB + j*csB], C(i,j) = c[i*ldc + j].
/// panels of
/// <see cref="Mr"/> rows and B into panels of <see cref="Nr"/> (or, on the AVX-512 path, <see cref="Nr512"/>) columns,
/// k-major, so the register-blocked micro-kernel streams contiguous memory. Micro-kernels, one per
/// <see cref="CpuVectorPath"/>: (1) scalar 6x16, the fallback; (2) AVX2 6x16, 12 Vector256 accumulators, one FMA per
/// accumulator per k; (3) AVX-512 6x32, 12 Vector512 accumulators, twice the columns per instruction.
/// A is packed whole, once per product (or once for many, see <see cref="MultiplyPacked"/>); B is packed per
/// block of <see cref="Kc"/> x <see cref="Nc"/>. Cache blocking: Kc along k (a B panel stays in L1), <see cref="Mc"/>
/// rows of packed A per pass over the B block (L2).
/// Determinism: an element of C is always summed in the same order (only Kc decides it) with fused multiply-adds,
/// however the work is split across threads and whichever micro-kernel runs, so results depend neither on the thread
/// count nor (on a CPU with FMA) on the path.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuGemm
{
    public const int Mr = 6, Nr = 16, Nr512 = 32;

    /// <summary>Depth of a k-block: every element of C is summed in blocks of this many k, the blocks added in order.</summary>
    public const int Kc = 256;

    private const int Mc = 16 * Mr, Nc = 64 * Nr;

    // GEMMs smaller than this (in flops) stay on the calling thread: a fork costs more than it saves.
    private const double ParallelFlops = 1 << 18;

    /// <summary>The batched, strided GEMM of <see cref="IBackend.Gemm"/>, split across threads.</summary>
    public static void Batched(GemmShape s, float alpha, float* a, float* b, float beta, float* c, CpuParallel parallel, CpuVectorPath path)
    {
        var (rsA, csA, rsB, csB) = Strides(s);
        var threads = s.Flops < ParallelFlops ? 1 : parallel.Threads;
        if (s.Batch >= threads)
        {
            // A broadcast A (stride 0) is packed once for every batch.
            var shared = s.StrideA == 0 ? CpuScratch.Shared(PackedASize(s.M, s.K)) : null;
            if (shared != null)
            {
                PackA(s.M, s.K, a, rsA, csA, shared);
            }

            var matrices = new Matrices(s, alpha, a, shared, b, beta, c, Math.Min(s.Batch, threads), path);
            parallel.For(matrices.Parts, ref matrices);
            return;
        }

        // Fewer matrices than threads: split each one's rows (or columns, if it has fewer column panels)
        // into ranges aligned to the micro-tile.
        for (var batch = 0; batch < s.Batch; batch++)
        {
            float* ab = a + batch * s.StrideA, bb = b + batch * s.StrideB, cb = c + batch * s.StrideC;
            int rowPanels = (s.M + Mr - 1) / Mr, colPanels = (s.N + Nr - 1) / Nr;
            var byRows = rowPanels >= colPanels;
            var panels = new Panels(s, alpha, ab, bb, beta, cb, byRows, Math.Min(threads, byRows ? rowPanels : colPanels), path);
            parallel.For(panels.Parts, ref panels);
        }
    }

    // Row and column strides of A and B in the shape's layout.
    private static (long RsA, long CsA, long RsB, long CsB) Strides(in GemmShape s) =>
        (s.TransA ? 1 : s.K, s.TransA ? s.M : 1, s.TransB ? 1 : s.N, s.TransB ? s.K : 1);

    // Batched: part `part` multiplies its range of the batch's matrices (A packed once into `shared` when broadcast).
    private readonly struct Matrices(GemmShape s, float alpha, float* a, float* shared, float* b, float beta, float* c, int parts, CpuVectorPath path) : ICpuPart
    {
        public int Parts => parts;

        public void Run(int part)
        {
            var (rsA, csA, rsB, csB) = Strides(s);
            var (first, end) = CpuParallel.Range(s.Batch, parts, part);
            for (var batch = first; batch < end; batch++)
            {
                float* bb = b + batch * s.StrideB, cb = c + batch * s.StrideC;
                if (shared != null)
                {
                    MultiplyPacked(s.M, s.N, s.K, alpha, shared, bb, rsB, csB, beta, cb, s.N, path);
                }
                else
                {
                    Multiply(s.M, s.N, s.K, alpha, a + batch * s.StrideA, rsA, csA, bb, rsB, csB, beta, cb, s.N, path);
                }
            }
        }
    }

    // One matrix split across threads: part `part` multiplies its range of row panels (or of column panels).
    private readonly struct Panels(GemmShape s, float alpha, float* a, float* b, float beta, float* c, bool byRows, int parts, CpuVectorPath path) : ICpuPart
    {
        public int Parts => parts;

        public void Run(int part)
        {
            var (rsA, csA, rsB, csB) = Strides(s);
            int rowPanels = (s.M + Mr - 1) / Mr, colPanels = (s.N + Nr - 1) / Nr;
            var (first, end) = CpuParallel.Range(byRows ? rowPanels : colPanels, parts, part);
            if (byRows)
            {
                int i0 = first * Mr, i1 = Math.Min(s.M, end * Mr);
                Multiply(i1 - i0, s.N, s.K, alpha, a + i0 * rsA, rsA, csA, b, rsB, csB, beta, c + (long)i0 * s.N, s.N, path);
            }
            else
            {
                int j0 = first * Nr, j1 = Math.Min(s.N, end * Nr);
                Multiply(s.M, j1 - j0, s.K, alpha, a, rsA, csA, b + j0 * csB, rsB, csB, beta, c + j0, s.N, path);
            }
        }
    }

    /// <summary>Floats that <see cref="PackA"/> writes for an (m,k) A.</summary>
    public static long PackedASize(int m, int k) => (long)RoundUp(m, Mr) * k;

    /// <summary>One GEMM on the calling thread. beta = 0 ignores C's old contents (even NaN).</summary>
    public static void Multiply(
        int m, int n, int k, float alpha, float* a, long rsA, long csA, float* b, long rsB, long csB, float beta, float* c, long ldc, CpuVectorPath path)
    {
        var packedA = CpuScratch.PackedA(PackedASize(m, k));
        PackA(m, k, a, rsA, csA, packedA);
        MultiplyPacked(m, n, k, alpha, packedA, b, rsB, csB, beta, c, ldc, path);
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
    public static void MultiplyPacked(
        int m, int n, int k, float alpha, float* packedA, float* b, long rsB, long csB, float beta, float* c, long ldc, CpuVectorPath path)
    {
        var packedB = CpuScratch.PackedB(Kc * Nc);
        var paddedM = RoundUp(m, Mr);
        for (var jc = 0; jc < n; jc += Nc)
        {
            var nc = Math.Min(Nc, n - jc);
            for (var pc = 0; pc < k; pc += Kc)
            {
                var kc = Math.Min(Kc, k - pc);
                PackB(kc, nc, b + pc * rsB + jc * csB, rsB, csB, packedB, PanelWidth(path));
                Block(m, nc, kc, alpha, packedA + (long)pc * paddedM, packedB, pc == 0 ? beta : 1f, c + jc, ldc, path);
            }
        }
    }

    private static int PanelWidth(CpuVectorPath path) => path == CpuVectorPath.Avx512 ? Nr512 : Nr;

    // C (m, nc) += one (kc, nc) block: every row panel of packed A against every column panel of packed B, Mc rows of
    // A per pass over the block (blockBeta: beta for the first k-block, 1 after).
    private static void Block(int m, int nc, int kc, float alpha, float* blockA, float* packedB, float blockBeta, float* c, long ldc, CpuVectorPath path)
    {
        var nr = PanelWidth(path);
        var edge = stackalloc float[Mr * Nr512];
        for (var ic = 0; ic < m; ic += Mc)
        {
            var mc = Math.Min(Mc, m - ic);
            for (var j = 0; j < nc; j += nr)
            {
                for (var i = ic; i < ic + mc; i += Mr)
                {
                    Tile(path, kc, blockA + i * kc, packedB + j * kc, c + i * ldc + j, ldc,
                        Math.Min(Mr, m - i), Math.Min(nr, nc - j), alpha, blockBeta, edge);
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // packed (RoundUp(m,Mr)/Mr panels, kc, Mr): panel q holds rows q*Mr.. of A, zero beyond m.
    // Row-major A goes 8 k at a time through an 8x8 register transpose (its 6 rows and 2 zeros); otherwise the loops run
    // along whichever stride of A is 1, so reads are contiguous for both layouts.
    private static void PackPanelsA(int m, int kc, float* a, long rsA, long csA, float* packed)
    {
        var square = stackalloc float[8 * 8];
        for (var i0 = 0; i0 < m; i0 += Mr, packed += Mr * kc, a += Mr * rsA)
        {
            var rows = Math.Min(Mr, m - i0);
            if (csA == 1)
            {
                var p0 = 0;
                if (rows == Mr)
                {
                    for (; p0 + 8 <= kc; p0 += 8)
                    {
                        var src = a + p0;
                        CpuConvDirect.StoreTransposed(
                            square, Vector256.Load(src), Vector256.Load(src + rsA), Vector256.Load(src + (2 * rsA)), Vector256.Load(src + (3 * rsA)),
                            Vector256.Load(src + (4 * rsA)), Vector256.Load(src + (5 * rsA)), default, default);
                        for (var p = 0; p < 8; p++)
                        {
                            var target = packed + ((p0 + p) * Mr);
                            Vector128.Load(square + (p * 8)).Store(target);
                            target[4] = square[(p * 8) + 4];
                            target[5] = square[(p * 8) + 5];
                        }
                    }
                }

                for (var r = 0; r < rows; r++)
                {
                    var src = a + r * rsA;
                    for (var p = p0; p < kc; p++)
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

    // packed (nc/nr panels, kc, nr): panel q holds columns q*nr.. of B, zero beyond nc (nr = 16 or 32).
    // Row-major B is copied 8 floats at a time; transposed B (rsB = 1) goes through 8x8 register transposes, its last
    // columns and rows one at a time; any other layout is read column by column.
    private static void PackB(int kc, int nc, float* b, long rsB, long csB, float* packed, int nr)
    {
        for (var j0 = 0; j0 < nc; j0 += nr, packed += nr * kc, b += nr * csB)
        {
            var cols = Math.Min(nr, nc - j0);
            if (csB == 1 && cols == nr)
            {
                for (var p = 0; p < kc; p++)
                {
                    for (var j = 0; j < nr; j += 8)
                    {
                        Vector256.Store(Vector256.Load(b + p * rsB + j), packed + p * nr + j);
                    }
                }

                continue;
            }

            if (csB == 1)
            {
                for (var p = 0; p < kc; p++)
                {
                    for (var j = 0; j < cols; j++)
                    {
                        packed[p * nr + j] = b[p * rsB + j];
                    }
                }
            }
            else if (rsB == 1)
            {
                int whole = cols - (cols % 8), deep = kc - (kc % 8);
                for (var p = 0; p < deep; p += 8)
                {
                    for (var j = 0; j < whole; j += 8)
                    {
                        var src = b + (j * csB) + p;
                        CpuConvDirect.StoreTransposed(
                            packed + (p * nr) + j, nr, Vector256.Load(src), Vector256.Load(src + csB), Vector256.Load(src + (2 * csB)),
                            Vector256.Load(src + (3 * csB)), Vector256.Load(src + (4 * csB)), Vector256.Load(src + (5 * csB)),
                            Vector256.Load(src + (6 * csB)), Vector256.Load(src + (7 * csB)));
                    }
                }

                for (var j = 0; j < cols; j++)
                {
                    var src = b + j * csB;
                    for (var p = j < whole ? deep : 0; p < kc; p++)
                    {
                        packed[p * nr + j] = src[p];
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
                        packed[p * nr + j] = src[p * rsB];
                    }
                }
            }

            for (var p = 0; p < kc; p++)
            {
                for (var j = cols; j < nr; j++)
                {
                    packed[p * nr + j] = 0f;
                }
            }
        }
    }

    // C tile (rows<=Mr, cols<=nr) = alpha * packedA panel x packedB panel + beta * C. A partial tile is
    // computed into `edge` (Mr x nr) first and then combined with C using the same arithmetic
    // (alpha * acc, then + beta * C), element by element.
    private static void Tile(CpuVectorPath path, int kc, float* pa, float* pb, float* c, long ldc, int rows, int cols, float alpha, float beta, float* edge)
    {
        var nr = PanelWidth(path);
        var full = rows == Mr && cols == nr;
        var target = full ? c : edge;
        var (ld, tileBeta) = full ? (ldc, beta) : (nr, 0f);
        switch (path)
        {
            case CpuVectorPath.Avx512:
                MicroKernel512(kc, pa, pb, target, ld, alpha, tileBeta);
                break;
            case CpuVectorPath.Avx2:
                MicroKernel(kc, pa, pb, target, ld, alpha, tileBeta);
                break;
            default:
                ScalarKernel(kc, pa, pb, target, ld, alpha, tileBeta);
                break;
        }

        if (full)
        {
            return;
        }

        for (var r = 0; r < rows; r++)
        {
            float* source = edge + r * nr, row = c + r * ldc;
            for (var j = 0; j < cols; j++)
            {
                row[j] = beta == 0 ? source[j] : source[j] + beta * row[j];
            }
        }
    }

    // Variant 1, the scalar 6x16 tile: the same fused multiply-adds in the same order as the vector kernels, one
    // float at a time; the fallback and the yardstick of the others.
    private static void ScalarKernel(int kc, float* pa, float* pb, float* c, long ldc, float alpha, float beta)
    {
        var acc = stackalloc float[Mr * Nr];
        new Span<float>(acc, Mr * Nr).Clear();
        for (var p = 0; p < kc; p++, pa += Mr, pb += Nr)
        {
            for (var r = 0; r < Mr; r++)
            {
                for (var j = 0; j < Nr; j++)
                {
                    acc[r * Nr + j] = MathF.FusedMultiplyAdd(pa[r], pb[j], acc[r * Nr + j]);
                }
            }
        }

        for (var r = 0; r < Mr; r++)
        {
            for (var j = 0; j < Nr; j++)
            {
                var v = alpha != 1 ? acc[r * Nr + j] * alpha : acc[r * Nr + j];
                c[r * ldc + j] = beta != 0 ? v + beta * c[r * ldc + j] : v;
            }
        }
    }

    // Variant 2, the AVX2 6x16 tile: 12 accumulators stay in registers for the whole k loop (this method calls
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

    // Variant 3, the AVX-512 6x32 tile: 12 zmm accumulators (of 32 registers), two B loads and six broadcasts per k.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel512(int kc, float* pa, float* pb, float* c, long ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, pa += Mr, pb += Nr512)
        {
            var b0 = Vector512.Load(pb);
            var b1 = Vector512.Load(pb + 16);
            var a0 = Vector512.Create(pa[0]);
            c00 = Vector512.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector512.Create(pa[1]);
            c10 = Vector512.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector512.Create(pa[2]);
            c20 = Vector512.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector512.Create(pa[3]);
            c30 = Vector512.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(a3, b1, c31);
            var a4 = Vector512.Create(pa[4]);
            c40 = Vector512.MultiplyAddEstimate(a4, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(a4, b1, c41);
            var a5 = Vector512.Create(pa[5]);
            c50 = Vector512.MultiplyAddEstimate(a5, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(a5, b1, c51);
        }

        StoreRow512(c, c00, c01, alpha, beta);
        StoreRow512(c + ldc, c10, c11, alpha, beta);
        StoreRow512(c + 2 * ldc, c20, c21, alpha, beta);
        StoreRow512(c + 3 * ldc, c30, c31, alpha, beta);
        StoreRow512(c + 4 * ldc, c40, c41, alpha, beta);
        StoreRow512(c + 5 * ldc, c50, c51, alpha, beta);
    }

    // c[0..32) = alpha * acc + beta * c, as StoreRow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow512(float* c, Vector512<float> left, Vector512<float> right, float alpha, float beta)
    {
        if (alpha != 1)
        {
            var scale = Vector512.Create(alpha);
            left *= scale;
            right *= scale;
        }

        if (beta != 0)
        {
            var b = Vector512.Create(beta);
            left += b * Vector512.Load(c);
            right += b * Vector512.Load(c + 16);
        }

        Vector512.Store(left, c);
        Vector512.Store(right, c + 16);
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
