using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution backward-data on AVX-512 for whole blocks of 16 images: <see cref="CpuConvData"/>'s sums, vectorised
/// along the images instead of along a row. For stride 1:
///   dx[n, c, ih, iw] = sum over p = (oc, kh, kw) of w[oc, c, kh, kw] * dy[n, oc, ih + PH - kh, iw + PW - kw]
/// over the p whose dy exists. The 16 lanes hold one pixel of 16 images, so they share which taps exist, and a tap is
/// taken only where the data has it (a pair of pixels takes the union of its two pixels' kw): where CpuConvData's full
/// convolution over zero-padded dy spends 42% of LeNet-5's conv2 on zeros and idle lanes, this one spends 7%. A block's dy is first
/// transposed to dyT (OC, OH, OW + 2, 16 images), one zero column each side; a register tile holds 6 input channels x 2
/// pixels of a row (12 zmm, 16 images each) and for every p in order loads the two pixels' dy vectors and broadcasts the
/// 6 channels' weights (CpuConvData's packed panels); the tiles go to dxT (C, H, W, 16 images), transposed into dx at the
/// end. Every element of dx is the ONE fused multiply-add chain over the p with a dy value, in order, from +0, that
/// CpuConvData computes (which adds exact zeros where this one skips: a chain from +0 never becomes -0, so they do not
/// change it), so both agree bit for bit, and the images a block takes do not matter either.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuConvDataImages
{
    /// <summary>Images a block vectorises over.</summary>
    public const int Images = 16;

    private const int Channels = CpuGemm.Mr;

    // Rows of a block a part takes: the first or the second half (each part transposes the block's dy for itself), so
    // that a thread ahead can take over half a block.
    private const int Halves = 2;

    // The first `blocks` blocks of 16 images, two parts each; `packed` is CpuConvData's weight panels.
    public readonly struct Blocks(Conv2dShape s, float* dy, float* packed, float* dx, int blocks) : ICpuPart
    {
        public int Count => blocks * Halves;

        public void Run(int part)
        {
            var (ih0, ih1) = CpuParallel.Range(s.H, Halves, part % Halves);
            Block(s, dy, packed, dx, part / Halves * Images, ih0, ih1);
        }
    }

    // dx of the block's rows [ih0, ih1).
    private static void Block(in Conv2dShape s, float* dy, float* packed, float* dx, int n0, int ih0, int ih1)
    {
        int depth = s.OC * s.KH * s.KW, wt = s.OutW + 2, ohw = s.OutH * s.OutW, chw = s.C * s.H * s.W;
        long dyFloats = (long)s.OC * s.OutH * wt * Images;

        // Scratch: dyT with 2 vectors of slack (the second pixel of a last, odd pixel reads one column past a row), dxT.
        var dyT = CpuScratch.Work(dyFloats + (2 * Images) + ((long)chw * Images));
        var dxT = dyT + dyFloats + (2 * Images);
        ToImageMajor(s, dy + ((long)n0 * s.OC * ohw), dyT);

        long rowStride = (long)wt * Images, planeStride = s.OutH * rowStride;
        for (var c0 = 0; c0 < s.C; c0 += Channels)
        {
            var panel = packed + ((long)(c0 / Channels) * depth * Channels);
            var channels = Math.Min(Channels, s.C - c0);
            for (var ih = ih0; ih < ih1; ih++)
            {
                int kh0 = Math.Max(0, ih + s.PadH - s.OutH + 1), kh1 = Math.Min(s.KH, ih + s.PadH + 1);
                for (var iw = 0; iw < s.W; iw += 2)
                {
                    int kw0 = Math.Max(0, iw + s.PadW - s.OutW + 1), kw1 = Math.Min(s.KW, iw + s.PadW + 2);

                    // dyT at (oc 0, oh = ih + PH, ow = iw + PW): tap (kh, kw) of output channel oc is origin + oc*planeStride
                    // - kh*rowStride - kw*16.
                    var origin = dyT + ((((long)(ih + s.PadH) * wt) + iw + s.PadW + 1) * Images);
                    var target = dxT + ((((long)c0 * s.H * s.W) + (ih * s.W) + iw) * Images);
                    Kernel(s.OC, s.KH, s.KW, kh0, kh1, kw0, kw1, origin, rowStride, planeStride, panel, target, (long)s.H * s.W * Images, channels, iw + 1 < s.W);
                }
            }
        }

        // dx[j, q] = dxT[q, j] for the block's 16 images and every channel's rows [ih0, ih1).
        for (var c = 0; c < s.C; c++)
        {
            var q0 = ((c * s.H) + ih0) * s.W;
            CpuTranspose.Matrix(dxT + ((long)q0 * Images), Images, dx + ((long)n0 * chw) + q0, chw, (ih1 - ih0) * s.W, Images);
        }
    }

    // dyT[oc, oh, ow + 1, j] = dy[j, oc, oh, ow] for the block's 16 images (image stride OC*OH*OW), zero in the columns
    // ow + 1 = 0 and OW + 1.
    private static void ToImageMajor(in Conv2dShape s, float* dy, float* dyT)
    {
        var wt = s.OutW + 2;
        long image = (long)s.OC * s.OutH * s.OutW;
        for (var row = 0; row < s.OC * s.OutH; row++)
        {
            var target = dyT + ((long)row * wt * Images);
            Vector512<float>.Zero.Store(target);
            Vector512<float>.Zero.Store(target + ((wt - 1) * Images));
            CpuTranspose.Matrix(dy + ((long)row * s.OutW), image, target + Images, Images, Images, s.OutW);
        }
    }

    // The tile of `channels` (<= 6) input channels x pixels iw and iw + 1 (the second only where `pair`), 16 images each:
    // sum over oc, kh in [kh0, kh1), kw in [kw0, kw1) of panel[p][r] * dyT at origin + oc*planeStride - kh*rowStride -
    // kw*16 (+16 for the second pixel), p = (oc*KH + kh)*KW + kw in order. Channel r's pixel at target + r*plane.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(
        int oc, int kernelH, int kernelW, int kh0, int kh1, int kw0, int kw1, float* origin, long rowStride, long planeStride,
        float* panel, float* target, long plane, int channels, bool pair)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var o = 0; o < oc; o++)
        {
            for (var kh = kh0; kh < kh1; kh++)
            {
                var row = origin + (o * planeStride) - (kh * rowStride) - (kw0 * Images);
                var w = panel + ((((o * kernelH) + kh) * kernelW) + kw0) * Channels;
                for (var kw = kw0; kw < kw1; kw++, row -= Images, w += Channels)
                {
                    var d0 = Vector512.Load(row);
                    var d1 = Vector512.Load(row + Images);
                    var a = Vector512.Create(w[0]);
                    c00 = Vector512.MultiplyAddEstimate(a, d0, c00);
                    c01 = Vector512.MultiplyAddEstimate(a, d1, c01);
                    a = Vector512.Create(w[1]);
                    c10 = Vector512.MultiplyAddEstimate(a, d0, c10);
                    c11 = Vector512.MultiplyAddEstimate(a, d1, c11);
                    a = Vector512.Create(w[2]);
                    c20 = Vector512.MultiplyAddEstimate(a, d0, c20);
                    c21 = Vector512.MultiplyAddEstimate(a, d1, c21);
                    a = Vector512.Create(w[3]);
                    c30 = Vector512.MultiplyAddEstimate(a, d0, c30);
                    c31 = Vector512.MultiplyAddEstimate(a, d1, c31);
                    a = Vector512.Create(w[4]);
                    c40 = Vector512.MultiplyAddEstimate(a, d0, c40);
                    c41 = Vector512.MultiplyAddEstimate(a, d1, c41);
                    a = Vector512.Create(w[5]);
                    c50 = Vector512.MultiplyAddEstimate(a, d0, c50);
                    c51 = Vector512.MultiplyAddEstimate(a, d1, c51);
                }
            }
        }

        ReadOnlySpan<Vector512<float>> first = [c00, c10, c20, c30, c40, c50];
        ReadOnlySpan<Vector512<float>> second = [c01, c11, c21, c31, c41, c51];
        for (var r = 0; r < channels; r++)
        {
            first[r].Store(target + (r * plane));
            if (pair)
            {
                second[r].Store(target + (r * plane) + Images);
            }
        }
    }
}
