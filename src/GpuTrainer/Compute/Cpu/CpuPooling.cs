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
        var planes = new MaxForwardPlanes(s, x, y, twoByTwo);
        ForPlanes(s, parallel, ref planes);
    }

    // relu: then dx *= relu'(x) (x being a ReLU's output), so the fused op gives what MaxBackward followed by
    // ActivationBackward gives: inside the vector rows of the 2x2 window (only a window's maximum gets a gradient, so the
    // maximum's sign decides), else plane by plane with CpuElementwise's arithmetic while the plane is in cache.
    public static void MaxBackward(Pool2dShape s, float* x, float* dy, float* dx, CpuParallel parallel, bool relu = false)
    {
        var twoByTwo = IsTwoByTwo(s);
        var planes = new MaxBackwardPlanes(s, x, dy, dx, twoByTwo, relu);
        ForPlanes(s, parallel, ref planes);
    }

    public static void AvgForward(Pool2dShape s, float* x, float* y, CpuParallel parallel)
    {
        var planes = new AvgForwardPlanes(s, x, y);
        ForPlanes(s, parallel, ref planes);
    }

    public static void AvgBackward(Pool2dShape s, float* dy, float* dx, CpuParallel parallel)
    {
        var planes = new AvgBackwardPlanes(s, dy, dx);
        ForPlanes(s, parallel, ref planes);
    }

    // Max pooling of one plane.
    private readonly struct MaxForwardPlanes(Pool2dShape s, float* x, float* y, bool twoByTwo) : IPoolPlanes
    {
        public void Run(long inPlane, long outPlane, int outH, int outW)
        {
            var plane = x + inPlane;
            for (var oh = 0; oh < outH; oh++)
            {
                if (twoByTwo && outW >= CpuMaxPool2x2.Windows)
                {
                    CpuMaxPool2x2.ForwardRow(plane + 2 * oh * s.W, s.W, y + outPlane + oh * outW, outW);
                    continue;
                }

                if (twoByTwo && outW >= CpuMaxPool2x2.NarrowWindows)
                {
                    CpuMaxPool2x2.ForwardRowNarrow(plane + 2 * oh * s.W, s.W, y + outPlane + oh * outW, outW);
                    continue;
                }

                for (var ow = 0; ow < outW; ow++)
                {
                    y[outPlane + oh * outW + ow] = plane[twoByTwo ? ArgMax2x2(plane, 2 * (oh * s.W + ow), s.W) : ArgMax(s, plane, oh, ow)];
                }
            }
        }
    }

    // Max pooling's backward of one plane.
    private readonly struct MaxBackwardPlanes(Pool2dShape s, float* x, float* dy, float* dx, bool twoByTwo, bool relu) : IPoolPlanes
    {
        public void Run(long inPlane, long outPlane, int outH, int outW)
        {
            var plane = x + inPlane;
            var vector = twoByTwo && outW >= CpuMaxPool2x2.NarrowWindows;
            if (!vector || s.H != 2 * outH || s.W != 2 * outW)
            {
                new Span<float>(dx + inPlane, s.H * s.W).Clear();
            }

            for (var oh = 0; oh < outH; oh++)
            {
                if (vector && outW >= CpuMaxPool2x2.Windows)
                {
                    CpuMaxPool2x2.BackwardRow(plane + 2 * oh * s.W, s.W, dy + outPlane + oh * outW, dx + inPlane + 2 * oh * s.W, outW, relu);
                    continue;
                }

                if (vector)
                {
                    CpuMaxPool2x2.BackwardRowNarrow(plane + 2 * oh * s.W, s.W, dy + outPlane + oh * outW, dx + inPlane + 2 * oh * s.W, outW, relu);
                    continue;
                }

                for (var ow = 0; ow < outW; ow++)
                {
                    var winner = twoByTwo ? ArgMax2x2(plane, 2 * (oh * s.W + ow), s.W) : ArgMax(s, plane, oh, ow);
                    dx[inPlane + winner] += dy[outPlane + oh * outW + ow];
                }
            }

            if (relu && !vector)
            {
                CpuElementwise.ReluBackward(x, dx, dx, inPlane, inPlane + s.H * s.W);
            }
        }
    }

    // Average pooling of one plane.
    private readonly struct AvgForwardPlanes(Pool2dShape s, float* x, float* y) : IPoolPlanes
    {
        public void Run(long inPlane, long outPlane, int outH, int outW)
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
        }
    }

    // Average pooling's backward of one plane.
    private readonly struct AvgBackwardPlanes(Pool2dShape s, float* dy, float* dx) : IPoolPlanes
    {
        public void Run(long inPlane, long outPlane, int outH, int outW)
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
        }
    }

    // One plane of a pooling pass: input plane offset, output plane offset, OH and OW (passed in because the shape
    // computes them with a division on every access).
    private interface IPoolPlanes
    {
        void Run(long inPlane, long outPlane, int outH, int outW);
    }

    // Runs body for every plane of the shape, planes split across threads.
    private static void ForPlanes<T>(Pool2dShape s, CpuParallel parallel, ref T body) where T : struct, IPoolPlanes
    {
        var ranges = new PlaneRanges<T>(s, Unsafe.AsPointer(ref body));
        parallel.ForRanges(s.N * s.C, MinElementsPerPart / (s.H * s.W) + 1, ref ranges);
    }

    private readonly struct PlaneRanges<T>(Pool2dShape s, void* body) : ICpuRange where T : struct, IPoolPlanes
    {
        public void Run(int first, int end)
        {
            int outH = s.OutH, outW = s.OutW;
            for (var plane = first; plane < end; plane++)
            {
                Unsafe.AsRef<T>(body).Run((long)plane * s.H * s.W, (long)plane * outH * outW, outH, outW);
            }
        }
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
