using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Reference;

/// <summary>
/// Scalar direct convolution, input (N,C,H,W), weight (OC,C,KH,KW), output (N,OC,OH,OW): every pass walks
/// the same (n, oc, oh, ow, c, kh, kw) nest and skips taps that fall in the zero padding. Outputs are overwritten.
/// </summary>
internal static class ScalarConv
{
    // y[n,oc,oh,ow] = sum x[n,c,ih,iw] * w[oc,c,kh,kw]
    public static void Forward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y)
    {
        for (var n = 0; n < s.N; n++)
        {
            for (var oc = 0; oc < s.OC; oc++)
            {
                for (var oh = 0; oh < s.OutH; oh++)
                {
                    for (var ow = 0; ow < s.OutW; ow++)
                    {
                        var sum = 0f;
                        for (var c = 0; c < s.C; c++)
                        {
                            for (var kh = 0; kh < s.KH; kh++)
                            {
                                for (var kw = 0; kw < s.KW; kw++)
                                {
                                    if (Tap(s, n, c, oh, ow, kh, kw) is { } xi)
                                    {
                                        sum += x[xi] * w[WeightIndex(s, oc, c, kh, kw)];
                                    }
                                }
                            }
                        }

                        y[OutputIndex(s, n, oc, oh, ow)] = sum;
                    }
                }
            }
        }
    }

    // dx[n,c,ih,iw] = sum over the taps that read it of dy[n,oc,oh,ow] * w[oc,c,kh,kw]
    public static void BackwardData(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        dx.Clear();
        ForEachTap(s, dy, w, dx, weightIsInput: true);
    }

    // dw[oc,c,kh,kw] = sum over n, oh, ow of dy[n,oc,oh,ow] * x[n,c,ih,iw]
    public static void BackwardWeight(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw)
    {
        dw.Clear();
        ForEachTap(s, dy, x, dw, weightIsInput: false);
    }

    // The shared scatter nest of both backward passes: weightIsInput ? dx += dy * w : dw += dy * x.
    private static void ForEachTap(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> other, Span<float> result, bool weightIsInput)
    {
        for (var n = 0; n < s.N; n++)
        {
            for (var oc = 0; oc < s.OC; oc++)
            {
                for (var oh = 0; oh < s.OutH; oh++)
                {
                    for (var ow = 0; ow < s.OutW; ow++)
                    {
                        var g = dy[OutputIndex(s, n, oc, oh, ow)];
                        for (var c = 0; c < s.C; c++)
                        {
                            for (var kh = 0; kh < s.KH; kh++)
                            {
                                for (var kw = 0; kw < s.KW; kw++)
                                {
                                    if (Tap(s, n, c, oh, ow, kh, kw) is { } xi)
                                    {
                                        var wi = WeightIndex(s, oc, c, kh, kw);
                                        if (weightIsInput)
                                        {
                                            result[xi] += g * other[wi];
                                        }
                                        else
                                        {
                                            result[wi] += g * other[xi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // Index of input element x[n, c, oh*sh - ph + kh, ow*sw - pw + kw], or null inside the padding.
    private static int? Tap(in Conv2dShape s, int n, int c, int oh, int ow, int kh, int kw)
    {
        var ih = oh * s.StrideH - s.PadH + kh;
        var iw = ow * s.StrideW - s.PadW + kw;
        return ih < 0 || ih >= s.H || iw < 0 || iw >= s.W ? null : ((n * s.C + c) * s.H + ih) * s.W + iw;
    }

    private static int WeightIndex(in Conv2dShape s, int oc, int c, int kh, int kw) => ((oc * s.C + c) * s.KH + kh) * s.KW + kw;

    private static int OutputIndex(in Conv2dShape s, int n, int oc, int oh, int ow) => ((n * s.OC + oc) * s.OutH + oh) * s.OutW + ow;
}
