using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution as im2col + GEMM, one image at a time, images split across threads (the forward pass of most shapes
/// goes to <see cref="CpuConvDirect"/>, the backward-data pass of stride 1 to <see cref="CpuConvData"/> and the
/// backward-weight pass to <see cref="CpuConvWeight"/> (channel counts that are a multiple of 8) or
/// <see cref="CpuConvWeightRows"/> (up to 12 channels, rows of at least 16 pixels) instead, except on the scalar path, which keeps im2col + GEMM as the yardstick).
/// With col (C*KH*KW, OH*OW) the im2col matrix of one image and W viewed as (OC, C*KH*KW):
///   forward:         y_n (OC, OH*OW)    = W x col_n
///   backward data:   col (C*KH*KW, OH*OW) = W^T x dy_n, then dx_n = col2im(col)
///   backward weight: dW (OC, C*KH*KW)  = sum_n dy_n x col_n^T
/// Every gradient is overwritten ("dW =", never "+="). dW is reduced deterministically: images are grouped
/// into a fixed number of chunks (independent of the thread count), each chunk sums into its own partial,
/// and the partials are added in chunk order.
/// </summary>
internal static unsafe class CpuConv
{
    private const int WeightChunks = 16;

    // y (N,OC,OH,OW) = conv(x (N,C,H,W), w (OC,C,KH,KW))
    public static void Forward(Conv2dShape s, float* x, float* w, float* y, CpuParallel parallel, CpuVectorPath path)
    {
        if (CpuConvDirect.Handles(s, path))
        {
            CpuConvDirect.Forward(s, x, w, y, parallel, path);
            return;
        }

        int ckk = s.C * s.KH * s.KW;
        var packedW = CpuScratch.Shared(CpuGemm.PackedASize(s.OC, ckk));
        CpuGemm.PackA(s.OC, ckk, w, ckk, 1, packedW);
        var parts = new ForwardImages(s, x, packedW, y, parallel.PartsFor(s.N), path);
        parallel.For(parts.Parts, ref parts);
    }

    // dx (N,C,H,W) from dy (N,OC,OH,OW) and w (OC,C,KH,KW)
    public static void BackwardData(Conv2dShape s, float* dy, float* w, float* dx, CpuParallel parallel, CpuVectorPath path)
    {
        if (CpuConvData.Handles(s, path))
        {
            CpuConvData.BackwardData(s, dy, w, dx, parallel, path);
            return;
        }

        int ckk = s.C * s.KH * s.KW, ohw = s.OutH * s.OutW;
        var packedWt = CpuScratch.Shared(CpuGemm.PackedASize(ckk, s.OC));
        CpuGemm.PackA(ckk, s.OC, w, 1, ckk, packedWt);
        var parts = new BackwardDataImages(s, dy, packedWt, dx, parallel.PartsFor(s.N), path);
        parallel.For(parts.Parts, ref parts);
    }

    // dw (OC,C,KH,KW) from x (N,C,H,W) and dy (N,OC,OH,OW): every chunk's partial (WeightChunk), then their sum
    // (WeightFinish).
    public static void BackwardWeight(Conv2dShape s, float* x, float* dy, float* dw, CpuParallel parallel, CpuVectorPath path)
    {
        var partials = CpuScratch.Shared(WeightScratch(s, path));
        var chunks = new WeightChunkParts(s, x, dy, partials, path);
        parallel.For(WeightChunkCount(s), ref chunks);
        WeightFinish(s, partials, dw, path);
    }

    /// <summary>
    /// The chunks of the backward-weight pass: the images are cut into this many near-equal ranges
    /// (<see cref="CpuParallel.Range"/>), independent of the thread count, and each chunk's partial dW is one part.
    /// </summary>
    internal static int WeightChunkCount(in Conv2dShape s) => Math.Min(s.N, WeightChunks);

    /// <summary>Floats of scratch the chunks' partials (and their sum) take.</summary>
    internal static long WeightScratch(in Conv2dShape s, CpuVectorPath path) =>
        CpuConvWeight.Handles(s, path) ? CpuConvWeight.Scratch(s, WeightChunkCount(s)) : (long)WeightChunkCount(s) * s.OC * s.C * s.KH * s.KW;

    /// <summary>Chunk <paramref name="chunk"/>'s partial dW into <paramref name="partials"/> (of <see cref="WeightScratch"/> floats).</summary>
    internal static void WeightChunk(in Conv2dShape s, float* x, float* dy, float* partials, int chunk, CpuVectorPath path)
    {
        if (CpuConvWeight.Handles(s, path))
        {
            CpuConvWeight.Chunk(s, x, dy, partials, WeightChunkCount(s), chunk, path);
        }
        else if (CpuConvWeightRows.Handles(s, path))
        {
            CpuConvWeightRows.Chunk(s, x, dy, partials, WeightChunkCount(s), chunk, path);
        }
        else
        {
            new WeightChunksOf(s, x, dy, partials, WeightChunkCount(s)).Run(chunk);
        }
    }

    /// <summary>dw from every chunk's partial, added in chunk order.</summary>
    internal static void WeightFinish(in Conv2dShape s, float* partials, float* dw, CpuVectorPath path)
    {
        if (CpuConvWeight.Handles(s, path))
        {
            CpuConvWeight.Finish(s, partials, WeightChunkCount(s), dw);
            return;
        }

        SumChunks(partials, WeightChunkCount(s), s.OC * s.C * s.KH * s.KW, dw);
    }

    // The backward-weight pass's chunks as the parts of a fork.
    private readonly struct WeightChunkParts(Conv2dShape s, float* x, float* dy, float* partials, CpuVectorPath path) : ICpuPart
    {
        public void Run(int chunk) => WeightChunk(s, x, dy, partials, chunk, path);
    }

    // Forward, images [first, end) of part `part`: im2col, then the packed weight times the columns.
    private readonly struct ForwardImages(Conv2dShape s, float* x, float* packedW, float* y, int parts, CpuVectorPath path) : ICpuPart
    {
        public int Parts => parts;

        public void Run(int part)
        {
            int ckk = s.C * s.KH * s.KW, ohw = s.OutH * s.OutW;
            var col = CpuScratch.Work((long)ckk * ohw);
            var (first, end) = CpuParallel.Range(s.N, parts, part);
            for (var n = first; n < end; n++)
            {
                Im2Col(s, x + (long)n * s.C * s.H * s.W, col, ohw);
                CpuGemm.MultiplyPacked(s.OC, ohw, ckk, 1f, packedW, col, ohw, 1, 0f, y + (long)n * s.OC * ohw, ohw, path);
            }
        }
    }

    // Backward data, images [first, end) of part `part`: the packed transposed weight times dy, then col2im.
    private readonly struct BackwardDataImages(Conv2dShape s, float* dy, float* packedWt, float* dx, int parts, CpuVectorPath path) : ICpuPart
    {
        public int Parts => parts;

        public void Run(int part)
        {
            int ckk = s.C * s.KH * s.KW, ohw = s.OutH * s.OutW;
            var col = CpuScratch.Work((long)ckk * ohw);
            var (first, end) = CpuParallel.Range(s.N, parts, part);
            for (var n = first; n < end; n++)
            {
                CpuGemm.MultiplyPacked(ckk, ohw, s.OC, 1f, packedWt, dy + (long)n * s.OC * ohw, ohw, 1, 0f, col, ohw, path);
                Col2Im(s, col, dx + (long)n * s.C * s.H * s.W);
            }
        }
    }

    // Backward weight of the scalar path (and shapes no other variant takes), chunk `chunk` of the images: its partial
    // dW. Each chunk lays out, per image, col (C*KH*KW, P8) and a copy of dy (OC, P8), rows zero-padded to P8 = OH*OW
    // rounded up to 8, and takes dot products along the pixels of all its images at once (CpuDot).
    private readonly struct WeightChunksOf(Conv2dShape s, float* x, float* dy, float* partials, int chunks)
    {
        public void Run(int chunk)
        {
            int ckk = s.C * s.KH * s.KW, ohw = s.OutH * s.OutW, size = s.OC * ckk;
            var rowStride = (ohw + 7) & ~7;
            long imageStride = (long)(ckk + s.OC) * rowStride;
            var (first, end) = CpuParallel.Range(s.N, chunks, chunk);
            var work = CpuScratch.Work((end - first) * imageStride);
            for (var n = first; n < end; n++)
            {
                var col = work + (n - first) * imageStride;
                Im2Col(s, x + (long)n * s.C * s.H * s.W, col, rowStride);
                var grad = col + (long)ckk * rowStride;
                for (var oc = 0; oc < s.OC; oc++)
                {
                    var row = grad + (long)oc * rowStride;
                    new Span<float>(dy + ((long)n * s.OC + oc) * ohw, ohw).CopyTo(new Span<float>(row, ohw));
                    new Span<float>(row + ohw, rowStride - ohw).Clear();
                }
            }

            // dW (OC, CKK) = dy col^T, or computed as its transpose col dy^T when that leaves fewer loose elements.
            float* grads = work + (long)ckk * rowStride, partial = partials + (long)chunk * size;
            if (CpuDot.Leftover(s.OC, ckk) <= CpuDot.Leftover(ckk, s.OC))
            {
                CpuDot.Multiply(s.OC, ckk, rowStride, end - first, grads, rowStride, imageStride, work, rowStride, imageStride, partial, ckk, 1);
            }
            else
            {
                CpuDot.Multiply(ckk, s.OC, rowStride, end - first, work, rowStride, imageStride, grads, rowStride, imageStride, partial, 1, ckk);
            }
        }
    }

    // sum[i] = partials[0][i] + partials[1][i] + ... in chunk order.
    internal static void SumChunks(float* partials, int chunks, int size, float* sum)
    {
        var i = 0;
        for (; i <= size - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var acc = Vector256.Load(partials + i);
            for (var chunk = 1; chunk < chunks; chunk++)
            {
                acc += Vector256.Load(partials + (long)chunk * size + i);
            }

            acc.Store(sum + i);
        }

        for (; i < size; i++)
        {
            var acc = partials[i];
            for (var chunk = 1; chunk < chunks; chunk++)
            {
                acc += partials[(long)chunk * size + i];
            }

            sum[i] = acc;
        }
    }

    // col[(c*KH+kh)*KW+kw, oh*OW+ow] = x[c, oh*sh-ph+kh, ow*sw-pw+kw], zero where that lies in the padding.
    // Rows of col are rowStride >= OH*OW apart; the gap after each row is zeroed.
    private static void Im2Col(in Conv2dShape s, float* x, float* col, int rowStride)
    {
        int outH = s.OutH, outW = s.OutW, gap = rowStride - outH * outW;
        for (var c = 0; c < s.C; c++)
        for (var kh = 0; kh < s.KH; kh++)
        for (var kw = 0; kw < s.KW; kw++, col += gap)
        {
            for (var g = 0; g < gap; g++)
            {
                col[outH * outW + g] = 0f;
            }

            var (owStart, owEnd) = InsideColumns(s, kw, outW);
            for (var oh = 0; oh < outH; oh++, col += outW)
            {
                var ih = oh * s.StrideH - s.PadH + kh;
                if ((uint)ih >= (uint)s.H)
                {
                    new Span<float>(col, outW).Clear();
                    continue;
                }

                // src[ow*sw] is x[c, ih, ow*sw - pw + kw]
                var src = x + ((long)c * s.H + ih) * s.W + kw - s.PadW;
                for (var ow = 0; ow < owStart; ow++)
                {
                    col[ow] = 0f;
                }

                if (s.StrideW == 1)
                {
                    CopyRow(src + owStart, col + owStart, owEnd - owStart);
                }
                else
                {
                    for (var ow = owStart; ow < owEnd; ow++)
                    {
                        col[ow] = src[ow * s.StrideW];
                    }
                }

                for (var ow = owEnd; ow < outW; ow++)
                {
                    col[ow] = 0f;
                }
            }
        }
    }

    // dst[0..length) = src[0..length): rows are short (OW), so whole vectors, the last one overlapping (zmm where they
    // are accelerated and the row holds one). Inlined: the convolutions call it once per row.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CopyRow(float* src, float* dst, int length)
    {
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            for (var i = 0; i < length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.Load(src + i).Store(dst + i);
            }

            Vector512.Load(src + length - Vector512<float>.Count).Store(dst + length - Vector512<float>.Count);
            return;
        }

        if (length < Vector256<float>.Count)
        {
            for (var i = 0; i < length; i++)
            {
                dst[i] = src[i];
            }

            return;
        }

        for (var i = 0; i < length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            Vector256.Load(src + i).Store(dst + i);
        }

        Vector256.Load(src + length - Vector256<float>.Count).Store(dst + length - Vector256<float>.Count);
    }

    // dx[c, ih, iw] = sum of the col entries that im2col copied from it (dx is overwritten).
    private static void Col2Im(in Conv2dShape s, float* col, float* dx)
    {
        int outH = s.OutH, outW = s.OutW;
        new Span<float>(dx, s.C * s.H * s.W).Clear();
        for (var c = 0; c < s.C; c++)
        for (var kh = 0; kh < s.KH; kh++)
        for (var kw = 0; kw < s.KW; kw++)
        {
            var (owStart, owEnd) = InsideColumns(s, kw, outW);
            for (var oh = 0; oh < outH; oh++, col += outW)
            {
                var ih = oh * s.StrideH - s.PadH + kh;
                if ((uint)ih >= (uint)s.H)
                {
                    continue;
                }

                var dst = dx + ((long)c * s.H + ih) * s.W + kw - s.PadW;
                var ow = owStart;
                if (s.StrideW == 1)
                {
                    for (; ow <= owEnd - Vector256<float>.Count; ow += Vector256<float>.Count)
                    {
                        (Vector256.Load(dst + ow) + Vector256.Load(col + ow)).Store(dst + ow);
                    }
                }

                for (; ow < owEnd; ow++)
                {
                    dst[ow * s.StrideW] += col[ow];
                }
            }
        }
    }

    // The output columns [start, end) whose input column ow*sw - pw + kw lies inside [0, W).
    private static (int Start, int End) InsideColumns(in Conv2dShape s, int kw, int outW)
    {
        var offset = kw - s.PadW;
        var start = offset >= 0 ? 0 : (-offset + s.StrideW - 1) / s.StrideW;
        var last = s.W - 1 - offset;
        var end = last < 0 ? 0 : last / s.StrideW + 1;
        start = Math.Min(start, outW);
        return (start, Math.Clamp(end, start, outW));
    }
}
