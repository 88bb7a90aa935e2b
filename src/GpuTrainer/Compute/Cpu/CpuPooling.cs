using System.Runtime.CompilerServices;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Max and average pooling over (N*C) independent planes, planes split across threads.
/// input (N,C,H,W), output (N,C,OH,OW); padded cells never win a max and count as zeros in an average.
/// Backward passes overwrite dInput; overlapping windows add their contributions in window order.
/// </summary>
internal static unsafe class CpuPooling
{
    // Planes per part: pooling is memory-bound, so small tensors stay on one thread.
    private const int MinElementsPerPart = 1 << 14;

    public static void MaxForward(Pool2dShape s, float* x, float* y, CpuParallel parallel)
    {
        var twoByTwo = IsTwoByTwo(s);
        ForPlanes(s, parallel, (inPlane, outPlane, outH, outW) =>
        {
            var plane = x + inPlane;
            for (var oh = 0; oh < outH; oh++)
            {
                if (twoByTwo && outW >= CpuMaxPool2x2.Windows)
                {
                    CpuMaxPool2x2.ForwardRow(plane + 2 * oh * s.W, s.W, y + outPlane + oh * outW, outW);
                    continue;
                }

                for (var ow = 0; ow < outW; ow++)
                {
                    y[outPlane + oh * outW + ow] = plane[twoByTwo ? ArgMax2x2(plane, 2 * (oh * s.W + ow), s.W) : ArgMax(s, plane, oh, ow)];
                }
            }
        });
    }

    public static void MaxBackward(Pool2dShape s, float* x, float* dy, float* dx, CpuParallel parallel)
    {
        var twoByTwo = IsTwoByTwo(s);
        ForPlanes(s, parallel, (inPlane, outPlane, outH, outW) =>
        {
            var plane = x + inPlane;
            var vector = twoByTwo && outW >= CpuMaxPool2x2.Windows;
            if (!vector || s.H != 2 * outH || s.W != 2 * outW)
            {
                new Span<float>(dx + inPlane, s.H * s.W).Clear();
            }

            for (var oh = 0; oh < outH; oh++)
            {
                if (vector)
                {
                    CpuMaxPool2x2.BackwardRow(plane + 2 * oh * s.W, s.W, dy + outPlane + oh * outW, dx + inPlane + 2 * oh * s.W, outW);
                    continue;
                }

                for (var ow = 0; ow < outW; ow++)
                {
                    var winner = twoByTwo ? ArgMax2x2(plane, 2 * (oh * s.W + ow), s.W) : ArgMax(s, plane, oh, ow);
                    dx[inPlane + winner] += dy[outPlane + oh * outW + ow];
                }
            }
        });
    }

    public static void AvgForward(Pool2dShape s, float* x, float* y, CpuParallel parallel) =>
        ForPlanes(s, parallel, (inPlane, outPlane, outH, outW) =>
        {
            for (var oh = 0; oh < outH; oh++)
            {
                for (var ow = 0; ow < outW; ow++)
                {
                    var (ih0, ih1, iw0, iw1) = Window(s, oh, ow);
                    var sum = 0f;
                    for (var ih = ih0; ih < ih1; ih++)
                    {
                        for (var iw = iw0; iw < iw1; iw++)
                        {
                            sum += x[inPlane + ih * s.W + iw];
                        }
                    }

                    y[outPlane + oh * outW + ow] = sum / (s.KH * s.KW);
                }
            }
        });

    public static void AvgBackward(Pool2dShape s, float* dy, float* dx, CpuParallel parallel) =>
        ForPlanes(s, parallel, (inPlane, outPlane, outH, outW) =>
        {
            new Span<float>(dx + inPlane, s.H * s.W).Clear();
            for (var oh = 0; oh < outH; oh++)
            {
                for (var ow = 0; ow < outW; ow++)
                {
                    var (ih0, ih1, iw0, iw1) = Window(s, oh, ow);
                    var g = dy[outPlane + oh * outW + ow] / (s.KH * s.KW);
                    for (var ih = ih0; ih < ih1; ih++)
                    {
                        for (var iw = iw0; iw < iw1; iw++)
                        {
                            dx[inPlane + ih * s.W + iw] += g;
                        }
                    }
                }
            }
        });

    // Runs body(input plane offset, output plane offset, OH, OW) for every plane of the shape
    // (OH and OW are passed in because the shape computes them with a division on every access).
    private static void ForPlanes(Pool2dShape s, CpuParallel parallel, Action<long, long, int, int> body)
    {
        int outH = s.OutH, outW = s.OutW;
        var minPlanes = MinElementsPerPart / (s.H * s.W) + 1;
        parallel.ForRanges(s.N * s.C, minPlanes, (first, end) =>
        {
            for (var plane = first; plane < end; plane++)
            {
                body((long)plane * s.H * s.W, (long)plane * outH * outW, outH, outW);
            }
        });
    }

    // The common LeNet window: 2x2, stride 2, no padding, so windows never clip.
    private static bool IsTwoByTwo(in Pool2dShape s) => s is { KH: 2, KW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 };

    // ArgMax for a 2x2 window whose top-left cell is `top` (row stride w): the same row-major first-maximum
    // scan, written with arithmetic selects so that random data causes no branch mispredictions.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax2x2(float* plane, int top, int w)
    {
        var best = Select(plane[top + 1] > plane[top], top + 1, top);
        best = Select(plane[top + w] > plane[best], top + w, best);
        return Select(plane[top + w + 1] > plane[best], top + w + 1, best);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Select(bool take, int ifTrue, int ifFalse) =>
        ifFalse ^ ((ifTrue ^ ifFalse) & -Unsafe.BitCast<bool, byte>(take));

    // Index within the plane of the first maximal in-image cell of window (oh, ow), row-major.
    private static int ArgMax(in Pool2dShape s, float* plane, int oh, int ow)
    {
        var (ih0, ih1, iw0, iw1) = Window(s, oh, ow);
        var best = ih0 * s.W + iw0;
        for (var ih = ih0; ih < ih1; ih++)
        {
            for (var iw = iw0; iw < iw1; iw++)
            {
                best = Select(plane[ih * s.W + iw] > plane[best], ih * s.W + iw, best);
            }
        }

        return best;
    }

    // The in-image rows [ih0, ih1) and columns [iw0, iw1) of window (oh, ow).
    private static (int Ih0, int Ih1, int Iw0, int Iw1) Window(in Pool2dShape s, int oh, int ow)
    {
        int top = oh * s.StrideH - s.PadH, left = ow * s.StrideW - s.PadW;
        return (Math.Max(top, 0), Math.Min(top + s.KH, s.H), Math.Max(left, 0), Math.Min(left + s.KW, s.W));
    }
}
