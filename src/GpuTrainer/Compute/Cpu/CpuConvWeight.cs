using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution backward-weight, variant 2: outer products along the pixels, vectorised along the output channels, with
/// no im2col matrix (variant 1 is <see cref="CpuConv"/>'s im2col + dot products, which the scalar path and channel
/// counts that are not a multiple of 8 keep).
/// dW (OC,C,KH,KW) = sum over images n and output pixels q of dy[n, oc, q] * x[n, c, oh*sh+kh-ph, ow*sw+kw-pw].
/// A register tile holds a block of 16 output channels (8 for a last narrow block) x a block of p = (c,kh,kw): 6 p on
/// AVX2 (12 ymm accumulators), 10 on AVX-512 (10 zmm); for every pixel in order it loads that pixel's dy for the block's
/// channels (dy transposed to pixel-major first) and broadcasts x at each p straight from the (zero-padded) input. So
/// every element of dW is ONE fused multiply-add chain over the pixels, image after image, from +0: the same on both
/// paths and whatever the blocks, bit for bit. As in variant 1 the images are cut into a fixed number of chunks
/// (independent of the thread count), each chunk sums into its own partial, and the partials are added in chunk order.
/// dW is overwritten.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuConvWeight
{
    private const int Lanes = 8, NarrowBlock = 12;

    // Floats of dy and input a pass over a few images keeps in L1 (48 KB here).
    private const int L1Floats = 6 * 1024;

    // Longest p (C*KH*KW) whose offset table goes on the stack.
    private const int MaxDepth = 4096;

    /// <summary>Whether this variant runs the backward-weight pass of <paramref name="s"/> on <paramref name="path"/>.</summary>
    public static bool Handles(in Conv2dShape s, CpuVectorPath path) =>
        path != CpuVectorPath.Scalar && s.OC % Lanes == 0 && s.C * s.KH * s.KW <= MaxDepth;

    // Each chunk's partial is kept as the kernels' tiles (see TileLength); the partials are added in chunk order and
    // the sum transposed into dw.
    internal static long Scratch(in Conv2dShape s, int chunks) => (long)(chunks + 1) * TileLength(s);

    internal static void Finish(in Conv2dShape s, float* partials, int chunks, float* dw)
    {
        var sum = partials + (long)chunks * TileLength(s);
        CpuConv.SumChunks(partials, chunks, TileLength(s), sum);
        FromTiles(s, sum, dw);
    }

    // The tiles of dW: block oc0 (width w = 16, or 8 for a last narrow block) at oc0*(CKK + NarrowBlock), laid out
    // (CKK + NarrowBlock, w), so that a tile of `depth` p at p0 is the (depth, w) rows from p0*w on.
    private static int TileLength(in Conv2dShape s) => s.OC * (s.C * s.KH * s.KW + NarrowBlock);

    // dw (OC, CKK) from the tiles: each block (CKK rows of its width) transposed.
    private static void FromTiles(in Conv2dShape s, float* tiles, float* dw)
    {
        int ckk = s.C * s.KH * s.KW, depthR = ckk + NarrowBlock;
        for (var oc0 = 0; oc0 < s.OC; oc0 += 2 * Lanes)
        {
            var width = Math.Min(2 * Lanes, s.OC - oc0);
            CpuTranspose.Matrix(tiles + ((long)oc0 * depthR), width, dw + ((long)oc0 * ckk), ckk, ckk, width);
        }
    }

    // p per tile on a path for a block of `width` channels.
    private static int Depth(CpuVectorPath path, int width) => width == Lanes ? NarrowBlock : path == CpuVectorPath.Avx512 ? 10 : 6;

    // Chunk `chunk` of `chunks` of the images: its partial dW as tiles (TileLength floats at partials + chunk * TileLength).
    internal static void Chunk(in Conv2dShape s, float* x, float* dy, float* partials, int chunks, int chunk, CpuVectorPath path)
    {
        int ckk = s.C * s.KH * s.KW, depthR = ckk + NarrowBlock, ohw = s.OutH * s.OutW, hp = s.H + 2 * s.PadH, wp = s.W + 2 * s.PadW;
        var (first, end) = CpuParallel.Range(s.N, chunks, chunk);
        int images = end - first, pixels = images * ohw;
        long planes = (long)s.C * hp * wp;

        // Scratch: the padded images, dy transposed to (pixels, OC) and each pixel's offset in the padded images.
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
        var acc = partials + (long)chunk * TileLength(s);
        new Span<float>(acc, TileLength(s)).Clear();
        for (int oh = 0, q = 0; oh < s.OutH; oh++)
        {
            for (var ow = 0; ow < s.OutW; ow++)
            {
                bases[q++] = (oh * s.StrideH * wp) + (ow * s.StrideW);
            }
        }

        for (var n = 0; n < images; n++)
        {
            CpuTranspose.Matrix(dy + (long)(first + n) * s.OC * ohw, ohw, dyT + (long)n * ohw * s.OC, s.OC, s.OC, ohw);
            var image = checked((int)(n * planes));
            for (var q = n == 0 ? ohw : 0; q < ohw; q++)
            {
                bases[(n * ohw) + q] = bases[q] + image;
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

        // A few images at a time, so that their dy and input stay in L1 while every tile passes over them; a tile's
        // chains go on from where the previous images left them (stored and loaded exactly).
        var step = Math.Max(1, L1Floats / (ohw * s.OC + (int)planes));
        for (var n0 = 0; n0 < images; n0 += step)
        {
            int q0 = n0 * ohw, count = Math.Min(step, images - n0) * ohw;
            for (var oc0 = 0; oc0 < s.OC; oc0 += 2 * Lanes)
            {
                var width = Math.Min(2 * Lanes, s.OC - oc0);
                var depth = Depth(path, width);
                var source = dyT + (long)q0 * s.OC + oc0;
                for (var p0 = 0; p0 < ckk; p0 += depth)
                {
                    var tile = acc + (long)oc0 * depthR + (long)p0 * width;
                    if (width == Lanes)
                    {
                        Kernel8x12(count, bases + q0, off + p0, input, source, s.OC, tile);
                    }
                    else if (path == CpuVectorPath.Avx512)
                    {
                        Kernel16x10(count, bases + q0, off + p0, input, source, s.OC, tile);
                    }
                    else
                    {
                        Kernel16x6(count, bases + q0, off + p0, input, source, s.OC, tile);
                    }
                }
            }
        }
    }

    // tile (6 p, 16 channels) += sum over pixels q of x[bases[q] + off[i]] * dyT[q, 0..16), one chain per element going on
    // from the tile's values (+0 at a chunk's start).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16x6(int pixels, int* bases, int* off, float* x, float* dyT, long ldDy, float* tile)
    {
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5];
        Vector256<float> c00 = Vector256.Load(tile), c01 = Vector256.Load(tile + 8), c10 = Vector256.Load(tile + 16), c11 = Vector256.Load(tile + 24);
        Vector256<float> c20 = Vector256.Load(tile + 32), c21 = Vector256.Load(tile + 40), c30 = Vector256.Load(tile + 48), c31 = Vector256.Load(tile + 56);
        Vector256<float> c40 = Vector256.Load(tile + 64), c41 = Vector256.Load(tile + 72), c50 = Vector256.Load(tile + 80), c51 = Vector256.Load(tile + 88);
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

    // tile (10 p, 16 channels), as Kernel16x6 with one zmm per p. The input is read through one pointer per p and the
    // pixel's base as the index (x_i[bases[q]]), so the loop sign-extends one index per pixel; ten pointers, the pixel
    // cursor, its end and dyT fit the general registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16x10(int pixels, int* bases, int* off, float* x, float* dyT, long ldDy, float* tile)
    {
        float* x0 = x + off[0], x1 = x + off[1], x2 = x + off[2], x3 = x + off[3], x4 = x + off[4];
        float* x5 = x + off[5], x6 = x + off[6], x7 = x + off[7], x8 = x + off[8], x9 = x + off[9];
        Vector512<float> c0 = Vector512.Load(tile), c1 = Vector512.Load(tile + 16), c2 = Vector512.Load(tile + 32), c3 = Vector512.Load(tile + 48);
        Vector512<float> c4 = Vector512.Load(tile + 64), c5 = Vector512.Load(tile + 80), c6 = Vector512.Load(tile + 96), c7 = Vector512.Load(tile + 112);
        Vector512<float> c8 = Vector512.Load(tile + 128), c9 = Vector512.Load(tile + 144);
        for (int* q = bases, end = bases + pixels; q < end; q++, dyT += ldDy)
        {
            long b = *q;
            var d = Vector512.Load(dyT);
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(x0[b]), d, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(x1[b]), d, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(x2[b]), d, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(x3[b]), d, c3);
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(x4[b]), d, c4);
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(x5[b]), d, c5);
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(x6[b]), d, c6);
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(x7[b]), d, c7);
            c8 = Vector512.MultiplyAddEstimate(Vector512.Create(x8[b]), d, c8);
            c9 = Vector512.MultiplyAddEstimate(Vector512.Create(x9[b]), d, c9);
        }

        c0.Store(tile);
        c1.Store(tile + 16);
        c2.Store(tile + 32);
        c3.Store(tile + 48);
        c4.Store(tile + 64);
        c5.Store(tile + 80);
        c6.Store(tile + 96);
        c7.Store(tile + 112);
        c8.Store(tile + 128);
        c9.Store(tile + 144);
    }

    // tile (12 p, 8 channels), as Kernel16x6 with one ymm per p (both paths).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x12(int pixels, int* bases, int* off, float* x, float* dyT, long ldDy, float* tile)
    {
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5];
        int o6 = off[6], o7 = off[7], o8 = off[8], o9 = off[9], o10 = off[10], o11 = off[11];
        Vector256<float> c0 = Vector256.Load(tile), c1 = Vector256.Load(tile + 8), c2 = Vector256.Load(tile + 16), c3 = Vector256.Load(tile + 24);
        Vector256<float> c4 = Vector256.Load(tile + 32), c5 = Vector256.Load(tile + 40), c6 = Vector256.Load(tile + 48), c7 = Vector256.Load(tile + 56);
        Vector256<float> c8 = Vector256.Load(tile + 64), c9 = Vector256.Load(tile + 72), c10 = Vector256.Load(tile + 80), c11 = Vector256.Load(tile + 88);
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
