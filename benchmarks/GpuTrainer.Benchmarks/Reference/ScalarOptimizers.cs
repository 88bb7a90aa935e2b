using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Reference;

/// <summary>Scalar fused SGD and Adam/AdamW steps over an arena, the formulas of <see cref="SgdHyper"/> and <see cref="AdamHyper"/>.</summary>
internal static class ScalarOptimizers
{
    // momentum is empty when hyper.Momentum == 0.
    public static void Sgd(Span<float> p, ReadOnlySpan<float> grad, Span<float> momentum, in SgdHyper hyper)
    {
        float lr = (float)hyper.Lr, mu = (float)hyper.Momentum, damp = 1 - (float)hyper.Dampening, wd = (float)hyper.WeightDecay;
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i] + wd * p[i];
            if (mu != 0)
            {
                momentum[i] = hyper.FirstStep ? g : mu * momentum[i] + damp * g;
                g = hyper.Nesterov ? g + mu * momentum[i] : momentum[i];
            }

            p[i] -= lr * g;
        }
    }

    public static void Adam(Span<float> p, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, in AdamHyper hyper)
    {
        float b1 = (float)hyper.Beta1, b2 = (float)hyper.Beta2, eps = (float)hyper.Eps, wd = (float)hyper.WeightDecay;
        float stepSize = hyper.StepSize, sqrtBias2 = hyper.SqrtBias2, shrink = 1 - (float)(hyper.Lr * hyper.WeightDecay);
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i];
            if (hyper.Decoupled)
            {
                p[i] *= shrink;
            }
            else
            {
                g += wd * p[i];
            }

            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / sqrtBias2 + eps);
        }
    }
}
