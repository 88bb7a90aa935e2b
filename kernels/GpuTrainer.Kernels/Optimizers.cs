// Fused optimizer kernels: ONE launch updates every element of the flat parameter arena.
// Semantics are PyTorch's torch.optim.SGD and Adam/AdamW (see OptimizerHyper.cs in the library).
//
// Accumulation rule: parameters and optimizer state are updated IN PLACE (p -= ..., buf =, m =, v =);
// the gradient arena is only read.
//
// Variants: one each; a thread per element, all accesses coalesced, arithmetic in float32 with the
// bias corrections precomputed in double on the host.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>SGD hyperparameters as float32 kernel arguments.</summary>
/// <param name="Lr">Learning rate.</param>
/// <param name="Momentum">Momentum factor; 0 disables the momentum buffer.</param>
/// <param name="Dampening">Dampening applied to the new gradient in the momentum update.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient.</param>
/// <param name="Nesterov">1 for Nesterov momentum.</param>
/// <param name="FirstStep">1 on the first step: the buffer is set to the gradient.</param>
public readonly record struct SgdArgs(float Lr, float Momentum, float Dampening, float WeightDecay, int Nesterov, int FirstStep);

/// <summary>Adam/AdamW hyperparameters as float32 kernel arguments.</summary>
/// <param name="Lr">Learning rate (used by the decoupled weight decay).</param>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Eps">Denominator epsilon.</param>
/// <param name="WeightDecay">Weight decay: coupled (added to the gradient) or decoupled (AdamW).</param>
/// <param name="StepSize">Lr / (1 - Beta1^t).</param>
/// <param name="SqrtBias2">sqrt(1 - Beta2^t).</param>
/// <param name="Decoupled">1 for AdamW.</param>
public readonly record struct AdamArgs(
    float Lr, float Beta1, float Beta2, float Eps, float WeightDecay, float StepSize, float SqrtBias2, int Decoupled);

/// <summary>One fused optimizer step over the whole arena.</summary>
public static class OptimizerKernels
{
    /// <summary>
    /// g = grad + wd*p; with momentum: buf = first ? g : mu*buf + (1-dampening)*g, g = nesterov ? g + mu*buf : buf;
    /// p -= lr*g. Arena views (count).
    /// </summary>
    /// <param name="index">Element index in [0, count).</param>
    /// <param name="p">parameters (count), updated in place.</param>
    /// <param name="grad">gradients (count).</param>
    /// <param name="buf">momentum buffer (count), updated in place; not touched when Momentum is 0.</param>
    /// <param name="args">Hyperparameters.</param>
    public static void SgdKernel(Index1D index, ArrayView<float> p, ArrayView<float> grad, ArrayView<float> buf, SgdArgs args)
    {
        var w = p[index];
        var g = grad[index] + args.WeightDecay * w;
        if (args.Momentum != 0f)
        {
            var b = args.FirstStep != 0 ? g : args.Momentum * buf[index] + (1f - args.Dampening) * g;
            buf[index] = b;
            g = args.Nesterov != 0 ? g + args.Momentum * b : b;
        }

        p[index] = w - args.Lr * g;
    }

    /// <summary>
    /// Adam (coupled decay) or AdamW (decoupled decay) at step t: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
    /// p -= StepSize * m / (sqrt(v) / SqrtBias2 + eps). Arena views (count).
    /// </summary>
    /// <param name="index">Element index in [0, count).</param>
    /// <param name="p">parameters (count), updated in place.</param>
    /// <param name="grad">gradients (count).</param>
    /// <param name="m">first moments (count), updated in place.</param>
    /// <param name="v">second moments (count), updated in place.</param>
    /// <param name="args">Hyperparameters and bias corrections.</param>
    public static void AdamKernel(Index1D index, ArrayView<float> p, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v, AdamArgs args)
    {
        var w = p[index];
        var g = grad[index];
        if (args.Decoupled != 0)
        {
            w *= 1f - args.Lr * args.WeightDecay;
        }
        else
        {
            g += args.WeightDecay * w;
        }

        var m1 = args.Beta1 * m[index] + (1f - args.Beta1) * g;
        var v1 = args.Beta2 * v[index] + (1f - args.Beta2) * g * g;
        m[index] = m1;
        v[index] = v1;
        p[index] = w - args.StepSize * m1 / (MathF.Sqrt(v1) / args.SqrtBias2 + args.Eps);
    }
}
