namespace GpuTrainer.Compute.Reference;

/// <summary>
/// 2-D convolution, PyTorch semantics (cross-correlation, zero padding): input x (N,C,H,W), weight w (OC,C,KH,KW),
/// output y (N,OC,OH,OW). Output o = (n, oc, oh, ow) reads the taps (c, kh, kw) whose input cell
/// x[n, c, oh*sh - ph + kh, ow*sw - pw + kw] lies inside the image (<see cref="Taps"/>): the forward pass gathers
/// along them, and both gradients scatter dy[o] back along exactly the same taps.
/// </summary>
public sealed partial class ReferenceBackend
{
    /// <summary>y[o] = sum over the taps of output o of x[tap] * w[tap].</summary>
    protected override void Conv2dForwardMember(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output)
    {
        var s = shape;
        s.Validate();
        var x = View(input, s.InputSize, nameof(input));
        var w = View(weight, s.WeightSize, nameof(weight));
        var y = View(output, s.OutputSize, nameof(output));
        int[] xs = new int[s.C * s.KH * s.KW], ws = new int[xs.Length];
        for (var o = 0; o < s.OutputSize; o++)
        {
            var sum = 0.0;
            var taps = Taps(s, o, xs, ws);
            for (var t = 0; t < taps; t++)
            {
                sum += x[xs[t]] * w[ws[t]];
            }

            y[o] = sum;
        }
    }

    /// <summary>dx = 0, then for every output o and tap: dx[tap] += dy[o] * w[tap].</summary>
    protected override void Conv2dBackwardDataMember(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput)
    {
        var s = shape;
        s.Validate();
        var dy = View(dOutput, s.OutputSize, nameof(dOutput));
        var w = View(weight, s.WeightSize, nameof(weight));
        var dx = View(dInput, s.InputSize, nameof(dInput));
        int[] xs = new int[s.C * s.KH * s.KW], ws = new int[xs.Length];
        dx.Clear();
        for (var o = 0; o < s.OutputSize; o++)
        {
            var taps = Taps(s, o, xs, ws);
            for (var t = 0; t < taps; t++)
            {
                dx[xs[t]] += dy[o] * w[ws[t]];
            }
        }
    }

    /// <summary>dw = 0, then for every output o and tap: dw[tap] += dy[o] * x[tap] (summed over the batch).</summary>
    protected override void Conv2dBackwardWeightMember(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight)
    {
        var s = shape;
        s.Validate();
        var x = View(input, s.InputSize, nameof(input));
        var dy = View(dOutput, s.OutputSize, nameof(dOutput));
        var dw = View(dWeight, s.WeightSize, nameof(dWeight));
        int[] xs = new int[s.C * s.KH * s.KW], ws = new int[xs.Length];
        dw.Clear();
        for (var o = 0; o < s.OutputSize; o++)
        {
            var taps = Taps(s, o, xs, ws);
            for (var t = 0; t < taps; t++)
            {
                dw[ws[t]] += dy[o] * x[xs[t]];
            }
        }
    }

    // The taps of output o = (n, oc, oh, ow) in (c, kh, kw) order, padding skipped: flat indices into x go to xs,
    // the matching indices into w to ws (both at least C*KH*KW long). Returns how many taps there are.
    private static int Taps(in Conv2dShape s, int o, Span<int> xs, Span<int> ws)
    {
        var ow = o % s.OutW;
        var oh = o / s.OutW % s.OutH;
        var oc = o / (s.OutW * s.OutH) % s.OC;
        var n = o / (s.OutW * s.OutH * s.OC);
        var taps = 0;
        for (var c = 0; c < s.C; c++)
        for (var kh = 0; kh < s.KH; kh++)
        for (var kw = 0; kw < s.KW; kw++)
        {
            var ih = oh * s.StrideH - s.PadH + kh;
            var iw = ow * s.StrideW - s.PadW + kw;
            if (ih >= 0 && ih < s.H && iw >= 0 && iw < s.W)
            {
                xs[taps] = ((n * s.C + c) * s.H + ih) * s.W + iw;
                ws[taps] = ((oc * s.C + c) * s.KH + kh) * s.KW + kw;
                taps++;
            }
        }

        return taps;
    }
}
