namespace GpuTrainer.Compute.Reference;

/// <summary>
/// 2-D pooling, PyTorch semantics: input x (N,C,H,W), output y (N,C,OH,OW). A window covers rows
/// [oh*sh - ph, +KH) and columns [ow*sw - pw, +KW); its cells inside the image take part in a max (padding
/// never wins), and an average divides by KH*KW (padding counted as zeros, count_include_pad=True).
/// Each backward routes dy along exactly the cells its forward read.
/// </summary>
public sealed partial class ReferenceBackend
{
    /// <summary>y[plane,oh,ow] = the largest in-image cell of the window.</summary>
    protected override void MaxPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var s = shape;
        s.Validate();
        var x = View(input, s.InputSize, nameof(input));
        var y = View(output, s.OutputSize, nameof(output));
        for (var o = 0; o < s.OutputSize; o++)
        {
            y[o] = x[WindowArgMax(s, x, o)];
        }
    }

    /// <summary>dx = 0, then dx[first maximal cell of window o (row-major)] += dy[o] for every window o.</summary>
    protected override void MaxPoolBackwardMember(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput)
    {
        var s = shape;
        s.Validate();
        var x = View(input, s.InputSize, nameof(input));
        var dy = View(dOutput, s.OutputSize, nameof(dOutput));
        var dx = View(dInput, s.InputSize, nameof(dInput));
        dx.Clear();
        for (var o = 0; o < s.OutputSize; o++)
        {
            dx[WindowArgMax(s, x, o)] += dy[o];
        }
    }

    /// <summary>y[plane,oh,ow] = (sum of the window's in-image cells) / (KH*KW).</summary>
    protected override void AvgPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var s = shape;
        s.Validate();
        var x = View(input, s.InputSize, nameof(input));
        var y = View(output, s.OutputSize, nameof(output));
        for (var o = 0; o < s.OutputSize; o++)
        {
            var (plane, h0, h1, w0, w1) = Window(s, o);
            var sum = 0.0;
            for (var ih = h0; ih < h1; ih++)
            for (var iw = w0; iw < w1; iw++)
            {
                sum += x[(plane * s.H + ih) * s.W + iw];
            }

            y[o] = sum / (s.KH * s.KW);
        }
    }

    /// <summary>dx = 0, then every in-image cell of window o gets dy[o] / (KH*KW).</summary>
    protected override void AvgPoolBackwardMember(in Pool2dShape shape, Tensor dOutput, Tensor dInput)
    {
        var s = shape;
        s.Validate();
        var dy = View(dOutput, s.OutputSize, nameof(dOutput));
        var dx = View(dInput, s.InputSize, nameof(dInput));
        dx.Clear();
        for (var o = 0; o < s.OutputSize; o++)
        {
            var (plane, h0, h1, w0, w1) = Window(s, o);
            var g = dy[o] / (s.KH * s.KW);
            for (var ih = h0; ih < h1; ih++)
            for (var iw = w0; iw < w1; iw++)
            {
                dx[(plane * s.H + ih) * s.W + iw] += g;
            }
        }
    }

    // Flat input index of the first maximal in-image cell of output o's window (row-major scan, strict >).
    private static int WindowArgMax(in Pool2dShape s, ReadOnlySpan<double> x, int o)
    {
        var (plane, h0, h1, w0, w1) = Window(s, o);
        var best = (plane * s.H + h0) * s.W + w0;
        for (var ih = h0; ih < h1; ih++)
        for (var iw = w0; iw < w1; iw++)
        {
            var i = (plane * s.H + ih) * s.W + iw;
            if (x[i] > x[best])
            {
                best = i;
            }
        }

        return best;
    }

    // Output o = (plane, oh, ow) -> its plane, and the window's rows [H0, H1) and columns [W0, W1) clipped to the image.
    private static (int Plane, int H0, int H1, int W0, int W1) Window(in Pool2dShape s, int o)
    {
        var ow = o % s.OutW;
        var oh = o / s.OutW % s.OutH;
        var top = oh * s.StrideH - s.PadH;
        var left = ow * s.StrideW - s.PadW;
        return (o / (s.OutW * s.OutH), Math.Max(top, 0), Math.Min(top + s.KH, s.H), Math.Max(left, 0), Math.Min(left + s.KW, s.W));
    }
}
