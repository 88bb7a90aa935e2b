using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution backward-data, variant 2: a direct "full" convolution of the zero-padded dy with the flipped weight,
/// vectorised along the input pixels of a row, with no col matrix and no col2im (variant 1 is <see cref="CpuConv"/>'s
/// W^T x dy GEMM + col2im, which the scalar path keeps as the yardstick). For stride 1:
///   dx[n, c, ih, iw] = sum over p = (oc, kh, kw) of w[oc, c, kh, kw] * dyPad[n, oc, ih + KH-1-kh, iw + KW-1-kw]
/// with dyPad (OC, H+KH-1, Wp) = dy shifted by (KH-1-PH, KW-1-PW) into zeros, Wp wide enough for whole 16-pixel vectors.
/// A register tile holds 6 input channels x 16 pixels of a row (AVX2: 12 ymm) or x 16 pixels of two rows (AVX-512:
/// 12 zmm); for every p in order it loads the dy vectors at the tile's offset and broadcasts the 6 channels' weights
/// (packed p-major in panels of 6 channels): the forward pass's row kernels (CpuConvDirect.RowKernel, RowKernel512),
/// reading dyPad where the forward reads x. Kernel rows kh whose dy row lies wholly in the padding for the tile's rows
/// are skipped (LeNet-5's conv2: 23% of the p on AVX-512, 29% on AVX2); a skipped term is an exact zero (finite weights), so
/// every element of dx is ONE fused multiply-add chain over the p with a dy row, in order, from +0, the
/// same on both paths: AVX2 and AVX-512 agree bit for bit, and images are split across threads, so the thread count
/// changes nothing. Pixels past the row's end are computed into the padding and not stored (AVX-512: the tile goes
/// straight into dx under a lane mask; AVX2: through a copy of its rows). On AVX-512 whole blocks of 16 images go to
/// <see cref="CpuConvDataImages"/>, which computes the same chains without their zero terms. dx is overwritten.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuConvData
{
    private const int Lanes = 8, Pixels = 2 * Lanes, Channels = CpuGemm.Mr;

    // Longest p (OC*KH*KW) whose offset table goes on the stack.
    private const int MaxDepth = 4096;

    /// <summary>Whether this variant runs the backward-data pass of <paramref name="s"/> on <paramref name="path"/>.</summary>
    public static bool Handles(in Conv2dShape s, CpuVectorPath path) =>
        path != CpuVectorPath.Scalar && s.StrideH == 1 && s.StrideW == 1 && s.PadH < s.KH && s.PadW < s.KW && s.OC * s.KH * s.KW <= MaxDepth;

    public static void BackwardData(Conv2dShape s, float* dy, float* w, float* dx, CpuParallel parallel, CpuVectorPath path)
    {
        int depth = s.OC * s.KH * s.KW, panels = (s.C + Channels - 1) / Channels;
        var packed = CpuScratch.Shared((long)panels * depth * Channels);
        Pack(s, w, packed);

        // On AVX-512 whole blocks of 16 images go to CpuConvDataImages (the same bits); the rest image by image here.
        var blocks = path == CpuVectorPath.Avx512 ? s.N / CpuConvDataImages.Images : 0;
        if (blocks > 0)
        {
            var images = new CpuConvDataImages.Blocks(s, dy, packed, dx, blocks);
            parallel.For(images.Count, ref images);
        }

        var done = blocks * CpuConvDataImages.Images;
        if (done < s.N)
        {
            var rest = s with { N = s.N - done };
            var parts = new Images(rest, dy + ((long)done * s.OC * s.OutH * s.OutW), packed, dx + ((long)done * s.C * s.H * s.W), parallel.PartsFor(rest.N), path);
            parallel.For(parts.Parts, ref parts);
        }
    }

    // Padded dy row width: every 16-pixel vector of an input row, and the kernel's reach KW-1 beyond it.
    private static int PaddedWidth(in Conv2dShape s) => ((s.W + Pixels - 1) / Pixels * Pixels) + s.KW - 1;

    // packed[panel][p][r] = w[oc, panel*6 + r, kh, kw] for p = (oc*KH + kh)*KW + kw, zero for channels beyond C.
    private static void Pack(in Conv2dShape s, float* w, float* packed)
    {
        int kk = s.KH * s.KW, depth = s.OC * kk;
        for (var c0 = 0; c0 < s.C; c0 += Channels, packed += (long)depth * Channels)
        {
            for (var oc = 0; oc < s.OC; oc++)
            {
                for (var k = 0; k < kk; k++)
                {
                    var p = (oc * kk) + k;
                    for (var r = 0; r < Channels; r++)
                    {
                        packed[(p * Channels) + r] = c0 + r < s.C ? w[(((long)oc * s.C) + c0 + r) * kk + k] : 0f;
                    }
                }
            }
        }
    }

    // Images [first, end) of part `part`, one at a time: pad its dy, then every row (pair) x channel panel x pixel vector.
    private readonly struct Images(Conv2dShape s, float* dy, float* packed, float* dx, int parts, CpuVectorPath path) : ICpuPart
    {
        public int Parts => parts;

        public void Run(int part)
        {
            var (first, end) = CpuParallel.Range(s.N, parts, part);
            int depth = s.OC * s.KH * s.KW, hp = s.H + s.KH - 1, wp = PaddedWidth(s), top = s.KH - 1 - s.PadH, left = s.KW - 1 - s.PadW;
            int ohw = s.OutH * s.OutW, hw = s.H * s.W;
            var padded = CpuScratch.Work(((long)s.OC * hp * wp) + (Channels * Pixels));
            var tile = padded + ((long)s.OC * hp * wp);
            new Span<float>(padded, s.OC * hp * wp).Clear();
            var off = stackalloc int[depth];
            for (int oc = 0, p = 0; oc < s.OC; oc++)
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                off[p++] = (((oc * hp) + s.KH - 1 - kh) * wp) + s.KW - 1 - kw;
            }

            var rowsAtOnce = path == CpuVectorPath.Avx512 ? 2 : 1;
            for (var n = first; n < end; n++)
            {
                // The interior of dyPad; its zeros never change.
                for (var oc = 0; oc < s.OC; oc++)
                {
                    for (var oh = 0; oh < s.OutH; oh++)
                    {
                        CpuConv.CopyRow(dy + ((long)n * s.OC * ohw) + (oc * ohw) + (oh * s.OutW), padded + ((((long)oc * hp) + top + oh) * wp) + left, s.OutW);
                    }
                }

                var image = dx + ((long)n * s.C * hw);
                for (var c0 = 0; c0 < s.C; c0 += Channels)
                {
                    var panel = packed + ((long)(c0 / Channels) * depth * Channels);
                    var channels = Math.Min(Channels, s.C - c0);
                    for (var ih = 0; ih < s.H; ih += rowsAtOnce)
                    {
                        // Only the kh whose dy row oh = ih + ph - kh exists for one of the rows: the others add zeros.
                        var rows = Math.Min(rowsAtOnce, s.H - ih);
                        int khFirst = Math.Max(0, ih + s.PadH - s.OutH + 1), khEnd = Math.Min(s.KH, ih + rows + s.PadH);
                        var taps = new CpuConvDirect.Taps(s.OC, s.KH * s.KW, khFirst * s.KW, Math.Max(0, khEnd - khFirst) * s.KW);
                        for (var iw = 0; iw < s.W; iw += Pixels)
                        {
                            var source = padded + ((long)ih * wp) + iw;
                            var target = image + ((long)c0 * hw) + (ih * s.W) + iw;
                            var width = Math.Min(Pixels, s.W - iw);
                            if (rows == 2)
                            {
                                // Straight into dx, the lanes past the row's end masked off.
                                var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
                                CpuConvDirect.RowKernel512(taps, off, panel, source, wp, target, hw, s.W, channels, mask);
                                continue;
                            }

                            // tile[r*16 + j] is dx[c0 + r, ih, iw + j].
                            CpuConvDirect.RowKernel(taps, off, panel, source, tile, Pixels, Channels);
                            for (var r = 0; r < channels; r++)
                            {
                                CpuConv.CopyRow(tile + (r * Pixels), target + ((long)r * hw), width);
                            }
                        }
                    }
                }
            }
        }
    }
}
