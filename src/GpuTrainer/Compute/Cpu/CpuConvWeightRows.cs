using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution backward-weight, variant 3: dot products along the output rows with the im2col rows built in registers,
/// for unit stride along W and few output channels (LeNet-5's conv1: 6), where variant 2 (<see cref="CpuConvWeight"/>,
/// lanes along the channels) would leave lanes idle. Each chunk first offers itself to variant 4
/// (<see cref="CpuConvWeightSparse"/>), which takes it where the shape suits it and dy is mostly zeros. Variant 1
/// (<see cref="CpuConv"/>'s im2col + dot products) stays the scalar path's yardstick.
/// dW[oc, p] = sum over images n, output rows oh and 16-pixel segments of dy[n, oc, oh, seg] * x[n, c, oh*sh+kh-ph,
/// seg+kw-pw] for p = (c,kh,kw): dy is copied into rows of whole 16-pixel segments (zeros past OW and for the channels
/// that fill the last block of 6), x into zero-padded planes wide enough for every segment, and the x vector of a
/// segment at p is one unaligned load: the im2col row, never written to memory. A tile holds 6 channels x 3 p in 18 zmm
/// (AVX-512: 9 loads per 18 FMAs) or 6 channels x 1 p as 12 ymm halves (AVX2); lane j of an accumulator sums the segments' pixel j in order
/// (image, row, segment) from +0, on both paths, and the 16 lanes are reduced once at the end in a fixed order (the two
/// halves added lane by lane, then <see cref="Vector256.Sum{T}"/>), so AVX2 and AVX-512 agree bit for bit. Images are
/// cut into a fixed number of chunks whose partials are added in chunk order, as in the other variants.
/// dW is overwritten.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuConvWeightRows
{
    private const int Lanes = 8, Segment = 2 * Lanes, Channels = 6, Taps = 3;

    /// <summary>Whether this variant runs the backward-weight pass of <paramref name="s"/> on <paramref name="path"/>.</summary>
    public static bool Handles(in Conv2dShape s, CpuVectorPath path) =>
        path != CpuVectorPath.Scalar && s.StrideW == 1 && s.OutW >= Segment && s.OC <= 2 * Channels;

    // Output columns rounded up to whole segments.
    private static int RowWidth(in Conv2dShape s) => (s.OutW + Segment - 1) / Segment * Segment;

    // Chunk `chunk` of `chunks` of the images: its partial dW (OC, C*KH*KW) at partials + chunk * OC*C*KH*KW.
    // Variant 4 takes the chunk where its shape suits it and its dy is mostly zeros.
    internal static void Chunk(in Conv2dShape s, float* x, float* dy, float* partials, int chunks, int chunk, CpuVectorPath path)
    {
        var (first, end) = CpuParallel.Range(s.N, chunks, chunk);
        var partial = partials + ((long)chunk * s.OC * s.C * s.KH * s.KW);
        if (!CpuConvWeightSparse.Handles(s, path) || !CpuConvWeightSparse.TryChunk(s, x, dy, partial, first, end))
        {
            DenseChunk(s, x, dy, partial, first, end, path);
        }
    }

    // The partial dW (OC, C*KH*KW) of the images [first, end), written to `partial`.
    private static void DenseChunk(in Conv2dShape s, float* x, float* dy, float* partial, int first, int end, CpuVectorPath path)
    {
        int ckk = s.C * s.KH * s.KW, ohw = s.OutH * s.OutW, rw = RowWidth(s), segments = rw / Segment;
        int hp = s.H + 2 * s.PadH, wx = Math.Max(s.W + 2 * s.PadW, rw + s.KW - 1);
        var blocks = (s.OC + Channels - 1) / Channels;
        var images = end - first;
        long plane = (long)hp * wx, imageX = s.C * plane, rowsDy = (long)blocks * Channels * s.OutH, imageDy = rowsDy * rw;

        // Scratch: x in zero-padded planes (C, H+2ph, wx) and dy in rows (blocks*6, OH, rw), zero outside the data.
        var xs = CpuScratch.Work((images * imageX) + (images * imageDy));
        var dys = xs + (images * imageX);
        new Span<float>(xs, checked((int)((images * imageX) + (images * imageDy)))).Clear();
        for (var n = 0; n < images; n++)
        {
            for (var c = 0; c < s.C; c++)
            for (var h = 0; h < s.H; h++)
            {
                CpuConv.CopyRow(x + ((((long)(first + n) * s.C) + c) * s.H + h) * s.W, xs + (n * imageX) + (c * plane) + ((long)(h + s.PadH) * wx) + s.PadW, s.W);
            }

            for (var oc = 0; oc < s.OC; oc++)
            for (var oh = 0; oh < s.OutH; oh++)
            {
                CpuConv.CopyRow(dy + ((long)(first + n) * s.OC * ohw) + (oc * ohw) + (oh * s.OutW), dys + (n * imageDy) + ((((long)oc * s.OutH) + oh) * rw), s.OutW);
            }
        }

        var sums = stackalloc float[Taps * Channels];
        var rowStep = (long)s.StrideH * wx;
        for (var b = 0; b < blocks; b++)
        {
            var dyBlock = dys + ((long)b * Channels * s.OutH * rw);
            var channels = Math.Min(Channels, s.OC - (b * Channels));
            var taps = path == CpuVectorPath.Avx512 ? Taps : 1;
            for (var p0 = 0; p0 < ckk; p0 += taps)
            {
                // A short last block repeats its last p.
                var count = Math.Min(taps, ckk - p0);
                long o0 = Offset(s, p0, plane, wx), o1 = Offset(s, p0 + Math.Min(1, count - 1), plane, wx), o2 = Offset(s, p0 + count - 1, plane, wx);
                if (taps == Taps)
                {
                    Kernel512(images, s.OutH, segments, dyBlock, imageDy, (long)s.OutH * rw, rw, xs + o0, xs + o1, xs + o2, imageX, rowStep, sums);
                }
                else
                {
                    Kernel256(images, s.OutH, segments, dyBlock, imageDy, (long)s.OutH * rw, rw, xs + o0, imageX, rowStep, sums);
                }

                // sums[t*6 + r] is dW[b*6 + r, p0 + t].
                for (var t = 0; t < count; t++)
                {
                    for (var r = 0; r < channels; r++)
                    {
                        partial[(((long)(b * Channels) + r) * ckk) + p0 + t] = sums[(t * Channels) + r];
                    }
                }
            }
        }
    }

    // Offset of x[c, kh - ph, kw - pw] in a padded image (plane floats a channel, rows wx apart), p = (c*KH + kh)*KW + kw.
    private static long Offset(in Conv2dShape s, int p, long plane, int wx)
    {
        int kw = p % s.KW, kh = p / s.KW % s.KH, c = p / (s.KW * s.KH);
        return (c * plane) + ((long)kh * wx) + kw;
    }

    // The fixed reduction of a 16-lane sum held as two halves: lane j + lane j+8, then Vector256.Sum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector256<float> low, Vector256<float> high) => Vector256.Sum(low + high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector512<float> v) => Reduce(v.GetLower(), v.GetUpper());

    // sums[t*6 + r] = sum over images, rows and segments of dy[r, oh, seg] * x_t[oh*rowStep + seg], t < 3, 18 zmm.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(
        int images, int rows, int segments, float* dy, long imageDy, long ldc, int rw, float* x0, float* x1, float* x2, long imageX, long rowStep, float* sums)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default;
        Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default, e4 = default, e5 = default;
        for (var n = 0; n < images; n++, dy += imageDy, x0 += imageX, x1 += imageX, x2 += imageX)
        {
            for (var oh = 0; oh < rows; oh++)
            {
                float* d = dy + ((long)oh * rw), u = x0 + (oh * rowStep), v = x1 + (oh * rowStep), w = x2 + (oh * rowStep);
                for (var g = 0; g < segments; g++, d += Segment, u += Segment, v += Segment, w += Segment)
                {
                    var xu = Vector512.Load(u);
                    var xv = Vector512.Load(v);
                    var xw = Vector512.Load(w);
                    var d0 = Vector512.Load(d);
                    a0 = Vector512.MultiplyAddEstimate(d0, xu, a0);
                    b0 = Vector512.MultiplyAddEstimate(d0, xv, b0);
                    e0 = Vector512.MultiplyAddEstimate(d0, xw, e0);
                    var d1 = Vector512.Load(d + ldc);
                    a1 = Vector512.MultiplyAddEstimate(d1, xu, a1);
                    b1 = Vector512.MultiplyAddEstimate(d1, xv, b1);
                    e1 = Vector512.MultiplyAddEstimate(d1, xw, e1);
                    var d2 = Vector512.Load(d + (2 * ldc));
                    a2 = Vector512.MultiplyAddEstimate(d2, xu, a2);
                    b2 = Vector512.MultiplyAddEstimate(d2, xv, b2);
                    e2 = Vector512.MultiplyAddEstimate(d2, xw, e2);
                    var d3 = Vector512.Load(d + (3 * ldc));
                    a3 = Vector512.MultiplyAddEstimate(d3, xu, a3);
                    b3 = Vector512.MultiplyAddEstimate(d3, xv, b3);
                    e3 = Vector512.MultiplyAddEstimate(d3, xw, e3);
                    var d4 = Vector512.Load(d + (4 * ldc));
                    a4 = Vector512.MultiplyAddEstimate(d4, xu, a4);
                    b4 = Vector512.MultiplyAddEstimate(d4, xv, b4);
                    e4 = Vector512.MultiplyAddEstimate(d4, xw, e4);
                    var d5 = Vector512.Load(d + (5 * ldc));
                    a5 = Vector512.MultiplyAddEstimate(d5, xu, a5);
                    b5 = Vector512.MultiplyAddEstimate(d5, xv, b5);
                    e5 = Vector512.MultiplyAddEstimate(d5, xw, e5);
                }
            }
        }

        sums[0] = Reduce(a0);
        sums[1] = Reduce(a1);
        sums[2] = Reduce(a2);
        sums[3] = Reduce(a3);
        sums[4] = Reduce(a4);
        sums[5] = Reduce(a5);
        sums[6] = Reduce(b0);
        sums[7] = Reduce(b1);
        sums[8] = Reduce(b2);
        sums[9] = Reduce(b3);
        sums[10] = Reduce(b4);
        sums[11] = Reduce(b5);
        sums[12] = Reduce(e0);
        sums[13] = Reduce(e1);
        sums[14] = Reduce(e2);
        sums[15] = Reduce(e3);
        sums[16] = Reduce(e4);
        sums[17] = Reduce(e5);
    }

    // sums[r] as Kernel512 for one p, each 16-lane accumulator held as two ymm halves (the same lane chains).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(
        int images, int rows, int segments, float* dy, long imageDy, long ldc, int rw, float* x0, long imageX, long rowStep, float* sums)
    {
        Vector256<float> l0 = default, l1 = default, l2 = default, l3 = default, l4 = default, l5 = default;
        Vector256<float> h0 = default, h1 = default, h2 = default, h3 = default, h4 = default, h5 = default;
        for (var n = 0; n < images; n++, dy += imageDy, x0 += imageX)
        {
            for (var oh = 0; oh < rows; oh++)
            {
                float* d = dy + ((long)oh * rw), u = x0 + (oh * rowStep);
                for (var g = 0; g < segments; g++, d += Segment, u += Segment)
                {
                    var xl = Vector256.Load(u);
                    var xh = Vector256.Load(u + Lanes);
                    l0 = Vector256.MultiplyAddEstimate(Vector256.Load(d), xl, l0);
                    h0 = Vector256.MultiplyAddEstimate(Vector256.Load(d + Lanes), xh, h0);
                    l1 = Vector256.MultiplyAddEstimate(Vector256.Load(d + ldc), xl, l1);
                    h1 = Vector256.MultiplyAddEstimate(Vector256.Load(d + ldc + Lanes), xh, h1);
                    l2 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (2 * ldc)), xl, l2);
                    h2 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (2 * ldc) + Lanes), xh, h2);
                    l3 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (3 * ldc)), xl, l3);
                    h3 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (3 * ldc) + Lanes), xh, h3);
                    l4 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (4 * ldc)), xl, l4);
                    h4 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (4 * ldc) + Lanes), xh, h4);
                    l5 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (5 * ldc)), xl, l5);
                    h5 = Vector256.MultiplyAddEstimate(Vector256.Load(d + (5 * ldc) + Lanes), xh, h5);
                }
            }
        }

        sums[0] = Reduce(l0, h0);
        sums[1] = Reduce(l1, h1);
        sums[2] = Reduce(l2, h2);
        sums[3] = Reduce(l3, h3);
        sums[4] = Reduce(l4, h4);
        sums[5] = Reduce(l5, h5);
    }
}
