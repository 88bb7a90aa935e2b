using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution backward-weight, variant 2: outer products along the pixels, vectorised along the output channels, with
/// no im2col matrix (variant 1 is <see cref="CpuConv"/>'s im2col + dot products, which the scalar path and channel
/// counts that are not a multiple of 8 keep).
/// dW (OC,C,KH,KW) = sum over images n and output pixels q of dy[n, oc, q] * x[n, c, oh*sh+kh-ph, ow*sw+kw-pw].
/// A register tile holds a block of 16 output channels (8 for a last narrow block) x a block of p = (c,kh,kw): 6 p on
/// AVX2 (12 ymm accumulators), 8 on AVX-512 (8 zmm); for every pixel in order it loads that pixel's dy for the block's
/// channels (dy transposed to pixel-major first) and broadcasts x at each p straight from the (zero-padded) input. So
/// every element of dW is ONE fused multiply-add chain over the pixels, image after image, from +0: the same on both
/// paths and whatever the blocks, bit for bit. As in variant 1 the images are cut into a fixed number of chunks
/// (independent of the thread count), each chunk sums into its own partial, and the partials are added in chunk order.
/// dW is overwritten.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuConvWeight
{
    private const int Lanes = 8, Chunks = 16, NarrowBlock = 12;

    // Longest p (C*KH*KW) whose offset table goes on the stack.
    private const int MaxDepth = 4096;

    /// <summary>Whether this variant runs the backward-weight pass of <paramref name="s"/> on <paramref name="path"/>.</summary>
    public static bool Handles(in Conv2dShape s, CpuVectorPath path) =>
        path != CpuVectorPath.Scalar && s.OC % Lanes == 0 && s.C * s.KH * s.KW <= MaxDepth;

    public static void BackwardWeight(Conv2dShape s, float* x, float* dy, float* dw, CpuParallel parallel, CpuVectorPath path)
    {
        var size = s.OC * s.C * s.KH * s.KW;
        var chunks = new ChunksOf(s, x, dy, CpuScratch.Shared((long)Math.Min(s.N, Chunks) * size), Math.Min(s.N, Chunks), path);
        parallel.For(chunks.Chunks, ref chunks);
        CpuConv.SumChunks(chunks.Partials, chunks.Chunks, size, dw);
    }

    // p per tile on a path for a block of `width` channels.
    private static int Depth(CpuVectorPath path, int width) => width == Lanes ? NarrowBlock : path == CpuVectorPath.Avx512 ? 8 : 6;

    // Chunk `chunk` of the images: its partial dW (OC, CKK).
    private readonly struct ChunksOf(Conv2dShape s, float* x, float* dy, float* partials, int chunks, CpuVectorPath path) : ICpuPart
    {
        public int Chunks => chunks;

        public float* Partials => partials;

        public void Run(int chunk)
        {
            int ckk = s.C * s.KH * s.KW, ohw = s.OutH * s.OutW, hp = s.H + 2 * s.PadH, wp = s.W + 2 * s.PadW;
            var (first, end) = CpuParallel.Range(s.N, chunks, chunk);
            int images = end - first, pixels = images * ohw;
            long planes = (long)s.C * hp * wp;

            // Scratch: the padded images, dy transposed to (pixels, OC), and each pixel's offset in the padded images.
            long inputFloats = s.PadH == 0 && s.PadW == 0 ? 0 : images * planes;
            var work = CpuScratch.Work(inputFloats + (long)pixels * s.OC + pixels);
            var input = x + (long)first * s.C * s.H * s.W;
            if (inputFloats > 0)
            {
                CpuConvDirect.Pad(s, input, images, work);
                input = work;
            }

            var dyT = work + inputFloats;
            var bases = (int*)(dyT + (long)pixels * s.OC);
            for (int n = 0, q = 0; n < images; n++)
            {
                Transpose(dy + (long)(first + n) * s.OC * ohw, s.OC, ohw, dyT + (long)n * ohw * s.OC);

                for (var oh = 0; oh < s.OutH; oh++)
                {
                    for (var ow = 0; ow < s.OutW; ow++)
                    {
                        bases[q++] = checked((int)(n * planes + ((long)oh * s.StrideH * wp) + (ow * s.StrideW)));
                    }
                }
            }

            // off[p] for p < ckk, then the last offset repeated so that a short last p block reads valid input.
            var off = stackalloc int[ckk + NarrowBlock];
            for (int c = 0, p = 0; c < s.C; c++)
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                off[p++] = (c * hp + kh) * wp + kw;
            }

            for (var p = ckk; p < ckk + NarrowBlock; p++)
            {
                off[p] = off[ckk - 1];
            }

            var tile = stackalloc float[NarrowBlock * 2 * Lanes];
            var partial = partials + (long)chunk * s.OC * ckk;
            for (var oc0 = 0; oc0 < s.OC; oc0 += 2 * Lanes)
            {
                var width = Math.Min(2 * Lanes, s.OC - oc0);
                var depth = Depth(path, width);
                for (var p0 = 0; p0 < ckk; p0 += depth)
                {
                    if (width == Lanes)
                    {
                        Kernel8x12(pixels, bases, off + p0, input, dyT + oc0, s.OC, tile);
                    }
                    else if (path == CpuVectorPath.Avx512)
                    {
                        Kernel16x8(pixels, bases, off + p0, input, dyT + oc0, s.OC, tile);
                    }
                    else
                    {
                        Kernel16x6(pixels, bases, off + p0, input, dyT + oc0, s.OC, tile);
                    }

                    // tile[i*width + j] is dW[oc0 + j, p0 + i].
                    for (var i = 0; i < Math.Min(depth, ckk - p0); i++)
                    {
                        for (var j = 0; j < width; j++)
                        {
                            partial[((long)oc0 + j) * ckk + p0 + i] = tile[i * width + j];
                        }
                    }
                }
            }
        }
    }

    // t (columns, rows) = m (rows, columns) for rows a multiple of 8: 8x8 squares transposed in registers, the last
    // columns one at a time.
    private static void Transpose(float* m, int rows, int columns, float* t)
    {
        var whole = columns - columns % Lanes;
        for (var r0 = 0; r0 < rows; r0 += Lanes)
        {
            var block = m + (long)r0 * columns;
            for (var c0 = 0; c0 < whole; c0 += Lanes)
            {
                CpuConvDirect.StoreTransposed(
                    t + ((long)c0 * rows) + r0, rows, Vector256.Load(block + c0), Vector256.Load(block + columns + c0), Vector256.Load(block + 2 * columns + c0),
                    Vector256.Load(block + 3 * columns + c0), Vector256.Load(block + 4 * columns + c0), Vector256.Load(block + 5 * columns + c0),
                    Vector256.Load(block + 6 * columns + c0), Vector256.Load(block + 7 * columns + c0));
            }

            for (var c = whole; c < columns; c++)
            {
                for (var r = 0; r < Lanes; r++)
                {
                    t[(long)c * rows + r0 + r] = block[(long)r * columns + c];
                }
            }
        }
    }

    // tile (6 p, 16 channels) = sum over pixels q of x[bases[q] + off[i]] * dyT[q, 0..16), one chain per element from +0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16x6(int pixels, int* bases, int* off, float* x, float* dyT, long ldDy, float* tile)
    {
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5];
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var q = 0; q < pixels; q++, dyT += ldDy)
        {
            var b = x + bases[q];
            var d0 = Vector256.Load(dyT);
            var d1 = Vector256.Load(dyT + Lanes);
            var a = Vector256.Create(b[o0]);
            c00 = Vector256.MultiplyAddEstimate(a, d0, c00);
            c01 = Vector256.MultiplyAddEstimate(a, d1, c01);
            a = Vector256.Create(b[o1]);
            c10 = Vector256.MultiplyAddEstimate(a, d0, c10);
            c11 = Vector256.MultiplyAddEstimate(a, d1, c11);
            a = Vector256.Create(b[o2]);
            c20 = Vector256.MultiplyAddEstimate(a, d0, c20);
            c21 = Vector256.MultiplyAddEstimate(a, d1, c21);
            a = Vector256.Create(b[o3]);
            c30 = Vector256.MultiplyAddEstimate(a, d0, c30);
            c31 = Vector256.MultiplyAddEstimate(a, d1, c31);
            a = Vector256.Create(b[o4]);
            c40 = Vector256.MultiplyAddEstimate(a, d0, c40);
            c41 = Vector256.MultiplyAddEstimate(a, d1, c41);
            a = Vector256.Create(b[o5]);
            c50 = Vector256.MultiplyAddEstimate(a, d0, c50);
            c51 = Vector256.MultiplyAddEstimate(a, d1, c51);
        }

        c00.Store(tile);
        c01.Store(tile + 8);
        c10.Store(tile + 16);
        c11.Store(tile + 24);
        c20.Store(tile + 32);
        c21.Store(tile + 40);
        c30.Store(tile + 48);
        c31.Store(tile + 56);
        c40.Store(tile + 64);
        c41.Store(tile + 72);
        c50.Store(tile + 80);
        c51.Store(tile + 88);
    }

    // tile (8 p, 16 channels), as Kernel16x6 with one zmm per p. Eight p, not twelve: twelve offsets do not fit the
    // general registers next to the loop's own (the JIT spilled them).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16x8(int pixels, int* bases, int* off, float* x, float* dyT, long ldDy, float* tile)
    {
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7];
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (var q = 0; q < pixels; q++, dyT += ldDy)
        {
            var b = x + bases[q];
            var d = Vector512.Load(dyT);
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o0]), d, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o1]), d, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o2]), d, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o3]), d, c3);
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o4]), d, c4);
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o5]), d, c5);
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o6]), d, c6);
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(b[o7]), d, c7);
        }

        c0.Store(tile);
        c1.Store(tile + 16);
        c2.Store(tile + 32);
        c3.Store(tile + 48);
        c4.Store(tile + 64);
        c5.Store(tile + 80);
        c6.Store(tile + 96);
        c7.Store(tile + 112);
    }

    // tile (12 p, 8 channels), as Kernel16x6 with one ymm per p (both paths).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x12(int pixels, int* bases, int* off, float* x, float* dyT, long ldDy, float* tile)
    {
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5];
        int o6 = off[6], o7 = off[7], o8 = off[8], o9 = off[9], o10 = off[10], o11 = off[11];
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (var q = 0; q < pixels; q++, dyT += ldDy)
        {
            var b = x + bases[q];
            var d = Vector256.Load(dyT);
            c0 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o0]), d, c0);
            c1 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o1]), d, c1);
            c2 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o2]), d, c2);
            c3 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o3]), d, c3);
            c4 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o4]), d, c4);
            c5 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o5]), d, c5);
            c6 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o6]), d, c6);
            c7 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o7]), d, c7);
            c8 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o8]), d, c8);
            c9 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o9]), d, c9);
            c10 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o10]), d, c10);
            c11 = Vector256.MultiplyAddEstimate(Vector256.Create(b[o11]), d, c11);
        }

        c0.Store(tile);
        c1.Store(tile + 8);
        c2.Store(tile + 16);
        c3.Store(tile + 24);
        c4.Store(tile + 32);
        c5.Store(tile + 40);
        c6.Store(tile + 48);
        c7.Store(tile + 56);
        c8.Store(tile + 64);
        c9.Store(tile + 72);
        c10.Store(tile + 80);
        c11.Store(tile + 88);
    }
}
