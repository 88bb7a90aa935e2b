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

    public static void MaxForward(Pool2dShape s, float* x, float* y, CpuParallel parallel) =>
        ForPlanes(s, parallel, (inPlane, outPlane) =>
        {
            for (var oh = 0; oh < s.OutH; oh++)
            {
                for (var ow = 0; ow < s.OutW; ow++)
                {
                    y[outPlane + oh * s.OutW + ow] = x[inPlane + ArgMax(s, x + inPlane, oh, ow)];
                }
            }
        });

    public static void MaxBackward(Pool2dShape s, float* x, float* dy, float* dx, CpuParallel parallel) =>
        ForPlanes(s, parallel, (inPlane, outPlane) =>
        {
            new Span<float>(dx + inPlane, s.H * s.W).Clear();
            for (var oh = 0; oh < s.OutH; oh++)
            {
                for (var ow = 0; ow < s.OutW; ow++)
                {
                    dx[inPlane + ArgMax(s, x + inPlane, oh, ow)] += dy[outPlane + oh * s.OutW + ow];
                }
            }
        });

    public static void AvgForward(Pool2dShape s, float* x, float* y, CpuParallel parallel) =>
        ForPlanes(s, parallel, (inPlane, outPlane) =>
        {
            for (var oh = 0; oh < s.OutH; oh++)
            {
                for (var ow = 0; ow < s.OutW; ow++)
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

                    y[outPlane + oh * s.OutW + ow] = sum / (s.KH * s.KW);
                }
            }
        });

    public static void AvgBackward(Pool2dShape s, float* dy, float* dx, CpuParallel parallel) =>
        ForPlanes(s, parallel, (inPlane, outPlane) =>
        {
            new Span<float>(dx + inPlane, s.H * s.W).Clear();
            for (var oh = 0; oh < s.OutH; oh++)
            {
                for (var ow = 0; ow < s.OutW; ow++)
                {
                    var (ih0, ih1, iw0, iw1) = Window(s, oh, ow);
                    var g = dy[outPlane + oh * s.OutW + ow] / (s.KH * s.KW);
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

    // Runs body(input plane offset, output plane offset) for every plane of the shape.
    private static void ForPlanes(Pool2dShape s, CpuParallel parallel, Action<long, long> body)
    {
        var minPlanes = MinElementsPerPart / (s.H * s.W) + 1;
        parallel.ForRanges(s.N * s.C, minPlanes, (first, end) =>
        {
            for (var plane = first; plane < end; plane++)
            {
                body((long)plane * s.H * s.W, (long)plane * s.OutH * s.OutW);
            }
        });
    }

    // Index within the plane of the first maximal in-image cell of window (oh, ow), row-major.
    private static int ArgMax(in Pool2dShape s, float* plane, int oh, int ow)
    {
        var (ih0, ih1, iw0, iw1) = Window(s, oh, ow);
        var best = ih0 * s.W + iw0;
        for (var ih = ih0; ih < ih1; ih++)
        {
            for (var iw = iw0; iw < iw1; iw++)
            {
                if (plane[ih * s.W + iw] > plane[best])
                {
                    best = ih * s.W + iw;
                }
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
