namespace GpuTrainer.Compute.Reference;

/// <summary>
/// 2-D convolution, PyTorch semantics (cross-correlation, zero padding): input x (N,C,H,W), weight w (OC,C,KH,KW),
/// output y (N,OC,OH,OW). The forward pass and both gradients walk the same nest over (output, kernel tap) and skip
/// taps that fall into the padding: the forward gathers, each gradient scatters along exactly the taps the forward read.
/// </summary>
public sealed partial class ReferenceBackend
{
    /// <summary>y[n,oc,oh,ow] = sum over c,kh,kw of x[n,c,oh*sh-ph+kh,ow*sw-pw+kw] * w[oc,c,kh,kw].</summary>
    public void Conv2dForward(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output)
    {
        var s = shape;
        s.Validate();
        var x = View(input, s.InputSize, nameof(input));
        var w = View(weight, s.WeightSize, nameof(weight));
        var y = View(output, s.OutputSize, nameof(output));
        for (var n = 0; n < s.N; n++)
        for (var oc = 0; oc < s.OC; oc++)
        for (var oh = 0; oh < s.OutH; oh++)
        for (var ow = 0; ow < s.OutW; ow++)
        {
            var sum = 0.0;
            for (var c = 0; c < s.C; c++)
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                var xi = InputTap(s, n, c, oh, ow, kh, kw);
                if (xi >= 0)
                {
                    sum += x[xi] * w[WeightIndex(s, oc, c, kh, kw)];
                }
            }

            y[OutputIndex(s, n, oc, oh, ow)] = sum;
        }
    }

    /// <summary>dx[n,c,ih,iw] = sum over every tap (oc,oh,ow,kh,kw) that read x[n,c,ih,iw] of dy[n,oc,oh,ow] * w[oc,c,kh,kw].</summary>
    public void Conv2dBackwardData(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput)
    {
        var s = shape;
        s.Validate();
        var dy = View(dOutput, s.OutputSize, nameof(dOutput));
        var w = View(weight, s.WeightSize, nameof(weight));
        var dx = View(dInput, s.InputSize, nameof(dInput));
        dx.Clear();
        for (var n = 0; n < s.N; n++)
        for (var oc = 0; oc < s.OC; oc++)
        for (var oh = 0; oh < s.OutH; oh++)
        for (var ow = 0; ow < s.OutW; ow++)
        {
            var g = dy[OutputIndex(s, n, oc, oh, ow)];
            for (var c = 0; c < s.C; c++)
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                var xi = InputTap(s, n, c, oh, ow, kh, kw);
                if (xi >= 0)
                {
                    dx[xi] += g * w[WeightIndex(s, oc, c, kh, kw)];
                }
            }
        }
    }

    /// <summary>dw[oc,c,kh,kw] = sum over n,oh,ow of dy[n,oc,oh,ow] * x[n,c,oh*sh-ph+kh,ow*sw-pw+kw] (summed over the batch).</summary>
    public void Conv2dBackwardWeight(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight)
    {
        var s = shape;
        s.Validate();
        var x = View(input, s.InputSize, nameof(input));
        var dy = View(dOutput, s.OutputSize, nameof(dOutput));
        var dw = View(dWeight, s.WeightSize, nameof(dWeight));
        dw.Clear();
        for (var n = 0; n < s.N; n++)
        for (var oc = 0; oc < s.OC; oc++)
        for (var oh = 0; oh < s.OutH; oh++)
        for (var ow = 0; ow < s.OutW; ow++)
        {
            var g = dy[OutputIndex(s, n, oc, oh, ow)];
            for (var c = 0; c < s.C; c++)
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                var xi = InputTap(s, n, c, oh, ow, kh, kw);
                if (xi >= 0)
                {
                    dw[WeightIndex(s, oc, c, kh, kw)] += g * x[xi];
                }
            }
        }
    }

    // Flat index of x[n, c, oh*sh - ph + kh, ow*sw - pw + kw], or -1 when that cell lies in the zero padding.
    private static int InputTap(in Conv2dShape s, int n, int c, int oh, int ow, int kh, int kw)
    {
        var ih = oh * s.StrideH - s.PadH + kh;
        var iw = ow * s.StrideW - s.PadW + kw;
        return ih < 0 || ih >= s.H || iw < 0 || iw >= s.W ? -1 : ((n * s.C + c) * s.H + ih) * s.W + iw;
    }

    private static int WeightIndex(in Conv2dShape s, int oc, int c, int kh, int kw) => ((oc * s.C + c) * s.KH + kh) * s.KW + kw;

    private static int OutputIndex(in Conv2dShape s, int n, int oc, int oh, int ow) => ((n * s.OC + oc) * s.OutH + oh) * s.OutW + ow;
}
