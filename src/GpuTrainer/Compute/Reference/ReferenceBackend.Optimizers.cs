namespace GpuTrainer.Compute.Reference;

/// <summary>
/// The fused optimizer steps over a whole arena (parameters, gradients and state of equal lengths), in float64
/// straight from the formulas of <see cref="SgdHyper"/> and <see cref="AdamHyper"/> (PyTorch's semantics).
/// </summary>
public sealed partial class ReferenceBackend
{
    /// <summary>
    /// g = grad + wd*p; with momentum: buf = FirstStep ? g : mu*buf + (1 - dampening)*g, g = Nesterov ? g + mu*buf : buf;
    /// p -= lr*g. Without momentum the buffer is neither read nor written.
    /// </summary>
    public void SgdStep(Tensor parameters, Tensor gradients, Tensor momentum, in SgdHyper hyper)
    {
        var h = hyper;
        var count = parameters.Length;
        var p = Exactly(parameters, count, nameof(parameters));
        var grad = Exactly(gradients, count, nameof(gradients));
        var buf = Exactly(momentum, count, nameof(momentum));
        for (var i = 0; i < count; i++)
        {
            var g = grad[i] + h.WeightDecay * p[i];
            if (h.Momentum != 0)
            {
                buf[i] = h.FirstStep ? g : h.Momentum * buf[i] + (1 - h.Dampening) * g;
                g = h.Nesterov ? g + h.Momentum * buf[i] : buf[i];
            }

            p[i] -= h.Lr * g;
        }
    }

    /// <summary>
    /// At step t: Adam g = grad + wd*p, or AdamW p *= 1 - lr*wd and g = grad; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
    /// p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    /// </summary>
    public void AdamStep(Tensor parameters, Tensor gradients, Tensor m, Tensor v, in AdamHyper hyper)
    {
        var h = hyper;
        var count = parameters.Length;
        var p = Exactly(parameters, count, nameof(parameters));
        var grad = Exactly(gradients, count, nameof(gradients));
        var ms = Exactly(m, count, nameof(m));
        var vs = Exactly(v, count, nameof(v));
        var bias1 = 1 - Math.Pow(h.Beta1, h.Step);
        var sqrtBias2 = Math.Sqrt(1 - Math.Pow(h.Beta2, h.Step));
        for (var i = 0; i < count; i++)
        {
            var g = grad[i];
            if (h.Decoupled)
            {
                p[i] *= 1 - h.Lr * h.WeightDecay;
            }
            else
            {
                g += h.WeightDecay * p[i];
            }

            ms[i] = h.Beta1 * ms[i] + (1 - h.Beta1) * g;
            vs[i] = h.Beta2 * vs[i] + (1 - h.Beta2) * g * g;
            p[i] -= h.Lr / bias1 * ms[i] / (Math.Sqrt(vs[i]) / sqrtBias2 + h.Eps);
        }
    }
}
