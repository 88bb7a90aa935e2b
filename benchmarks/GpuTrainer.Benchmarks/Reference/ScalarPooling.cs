using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Reference;

/// <summary>
/// Scalar pooling, input (N,C,H,W), output (N,C,OH,OW), PyTorch semantics: padded cells never win a max,
/// the first maximal element (row-major within the window) takes the gradient, averages count padding.
/// </summary>
internal static class ScalarPooling
{
    public static void MaxForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y)
    {
        for (var o = 0; o < s.OutputSize; o++)
        {
            y[o] = x[ArgMax(s, x, o)];
        }
    }

    public static void MaxBackward(in Pool2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        dx.Clear();
        for (var o = 0; o < s.OutputSize; o++)
        {
            dx[ArgMax(s, x, o)] += dy[o];
        }
    }

    public static void AvgForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y)
    {
        var scale = 1f / (s.KH * s.KW);
        for (var o = 0; o < s.OutputSize; o++)
        {
            var (plane, h0, h1, w0, w1) = Window(s, o);
            var sum = 0f;
            for (var ih = h0; ih < h1; ih++)
            {
                for (var iw = w0; iw < w1; iw++)
                {
                    sum += x[(plane * s.H + ih) * s.W + iw];
                }
            }

            y[o] = sum * scale;
        }
    }

    public static void AvgBackward(in Pool2dShape s, ReadOnlySpan<float> dy, Span<float> dx)
    {
        dx.Clear();
        var scale = 1f / (s.KH * s.KW);
        for (var o = 0; o < s.OutputSize; o++)
        {
            var (plane, h0, h1, w0, w1) = Window(s, o);
            for (var ih = h0; ih < h1; ih++)
            {
                for (var iw = w0; iw < w1; iw++)
                {
                    dx[(plane * s.H + ih) * s.W + iw] += dy[o] * scale;
                }
            }
        }
    }

    // Input index of the first maximal in-image cell of output o's window.
    private static int ArgMax(in Pool2dShape s, ReadOnlySpan<float> x, int o)
    {
        var (plane, h0, h1, w0, w1) = Window(s, o);
        var best = (plane * s.H + h0) * s.W + w0;
        for (var ih = h0; ih < h1; ih++)
        {
            for (var iw = w0; iw < w1; iw++)
            {
                var i = (plane * s.H + ih) * s.W + iw;
                if (x[i] > x[best])
                {
                    best = i;
                }
            }
        }

        return best;
    }

    // Output o = (plane, oh, ow) -> its plane and the window's rows [h0, h1) and columns [w0, w1) clipped to the image.
    private static (int Plane, int H0, int H1, int W0, int W1) Window(in Pool2dShape s, int o)
    {
        var ow = o % s.OutW;
        var oh = o / s.OutW % s.OutH;
        var h = oh * s.StrideH - s.PadH;
        var w = ow * s.StrideW - s.PadW;
        return (o / (s.OutW * s.OutH), Math.Max(h, 0), Math.Min(h + s.KH, s.H), Math.Max(w, 0), Math.Min(w + s.KW, s.W));
    }
}
