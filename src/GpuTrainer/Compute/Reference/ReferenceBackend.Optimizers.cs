namespace GpuTrainer.Compute.Reference;

/// <summary>
/// The fused optimizer step over a whole arena (parameters, gradients and state of equal lengths), in float64 straight
/// from the formulas of <see cref="SgdHyper"/> and <see cref="AdamHyper"/> (PyTorch's semantics), with the constants of
/// the member's <see cref="OptimizerTable"/> row (float32 values, exact in double).
/// </summary>
public sealed partial class ReferenceBackend
{
    /// <summary>SGD with state1 as its momentum buffer, Adam/AdamW with state1 = m and state2 = v, or nothing, as the row says.</summary>
    protected override void OptimizerStepMember(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor row)
    {
        var h = View(row, OptimizerTable.RowFloats, nameof(row));
        var count = parameters.Length;
        var p = Exactly(parameters, count, nameof(parameters));
        var grad = Exactly(gradients, count, nameof(gradients));
        switch ((float)h[OptimizerTable.Kind])
        {
            case OptimizerTable.SgdKind:
                Sgd(p, grad, Exactly(state1, count, nameof(state1)), h);
                break;
            case OptimizerTable.AdamKind:
                Adam(p, grad, Exactly(state1, count, nameof(state1)), Exactly(state2, count, nameof(state2)), h);
                break;
            case OptimizerTable.SkipKind:
                break;
            default:
                throw new ArgumentException($"Unknown optimizer table row kind {h[OptimizerTable.Kind]}.", nameof(row));
        }
    }

    /// <summary>
    /// g = grad + wd*p; with momentum: buf = FirstStep ? g : mu*buf + (1 - dampening)*g, g = Nesterov ? g + mu*buf : buf;
    /// p -= lr*g. Without momentum the buffer is neither read nor written.
    /// </summary>
    private static void Sgd(Span<double> p, Span<double> grad, Span<double> buf, Span<double> h)
    {
        var (lr, wd, mu, undampened) = (h[OptimizerTable.Lr], h[OptimizerTable.WeightDecay], h[OptimizerTable.Momentum], h[OptimizerTable.Undampened]);
        var (nesterov, first) = (h[OptimizerTable.Nesterov] != 0, h[OptimizerTable.FirstStep] != 0);
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i] + wd * p[i];
            if (mu != 0)
            {
                buf[i] = first ? g : mu * buf[i] + undampened * g;
                g = nesterov ? g + mu * buf[i] : buf[i];
            }

            p[i] -= lr * g;
        }
    }

    /// <summary>
    /// At step t: Adam g = grad + wd*p, or AdamW p *= 1 - lr*wd and g = grad; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
    /// p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps), the row holding lr / (1 - b1^t) and sqrt(1 - b2^t).
    /// </summary>
    private static void Adam(Span<double> p, Span<double> grad, Span<double> m, Span<double> v, Span<double> h)
    {
        var (b1, b2, eps, wd) = (h[OptimizerTable.Beta1], h[OptimizerTable.Beta2], h[OptimizerTable.Eps], h[OptimizerTable.WeightDecay]);
        var (stepSize, sqrtBias2, decoupled) = (h[OptimizerTable.StepSize], h[OptimizerTable.SqrtBias2], h[OptimizerTable.Decoupled] != 0);
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i];
            if (decoupled)
            {
                p[i] *= 1 - h[OptimizerTable.Lr] * wd;
            }
            else
            {
                g += wd * p[i];
            }

            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            p[i] -= stepSize * m[i] / (Math.Sqrt(v[i]) / sqrtBias2 + eps);
        }
    }
}
