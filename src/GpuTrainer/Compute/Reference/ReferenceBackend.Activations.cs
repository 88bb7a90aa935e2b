namespace GpuTrainer.Compute.Reference;

/// <summary>
/// Bias + activation over a tensor viewed as (outer, channels, inner): (N,F,1) after a linear layer,
/// (N,OC,OH*OW) after a convolution; then its two gradients, dx through the activation and dBias.
/// </summary>
public sealed partial class ReferenceBackend
{
    /// <summary>y[o,c,i] = act(x[o,c,i] + bias[c]); an empty bias adds nothing; x and y may be the same view.</summary>
    protected override void BiasActivationMember(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation)
    {
        var count = (long)outer * channels * inner;
        var xs = View(x, count, nameof(x));
        var b = bias.IsEmpty ? default : View(bias, channels, nameof(bias));
        var ys = View(y, count, nameof(y));
        for (var o = 0; o < outer; o++)
        for (var c = 0; c < channels; c++)
        for (var i = 0; i < inner; i++)
        {
            var idx = (o * channels + c) * inner + i;
            var v = xs[idx] + (b.IsEmpty ? 0 : b[c]);
            ys[idx] = activation == Activation.Relu ? Math.Max(v, 0) : v;
        }
    }

    /// <summary>dx = dy * act'(y), y being the activation's output; ReLU's derivative at y = 0 is 0 (PyTorch's choice). dx may alias dy.</summary>
    protected override void ActivationBackwardMember(Tensor y, Tensor dy, Tensor dx, int count, Activation activation)
    {
        var ys = View(y, count, nameof(y));
        var dys = View(dy, count, nameof(dy));
        var dxs = View(dx, count, nameof(dx));
        for (var i = 0; i < count; i++)
        {
            dxs[i] = activation == Activation.Relu && ys[i] <= 0 ? 0 : dys[i];
        }
    }

    /// <summary>dBias[c] = sum over o and i of dy[o,c,i] (the bias's gradient, summed over the batch).</summary>
    protected override void BiasGradientMember(Tensor dy, Tensor dBias, int outer, int channels, int inner)
    {
        var dys = View(dy, (long)outer * channels * inner, nameof(dy));
        var db = View(dBias, channels, nameof(dBias));
        for (var c = 0; c < channels; c++)
        {
            var sum = 0.0;
            for (var o = 0; o < outer; o++)
            for (var i = 0; i < inner; i++)
            {
                sum += dys[(o * channels + c) * inner + i];
            }

            db[c] = sum;
        }
    }
}
