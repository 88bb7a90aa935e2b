// Fused optimizer kernel: ONE launch updates every element of every member's flat parameter arena, SGD and Adam members
// side by side. Semantics are PyTorch's torch.optim.SGD and Adam/AdamW (see OptimizerHyper.cs in the library).
//
// Accumulation rule: parameters and optimizer state are updated IN PLACE (p -= ..., buf =, m =, v =);
// the gradient arena is only read.
//
// Variants: one; a thread per element, all accesses coalesced, arithmetic in float32 with every constant (the bias
// corrections, 1 - beta, 1 - dampening, 1 - lr*wd) precomputed in double on the host into the member's device table row,
// so a step's learning rates need no upload and no kernel argument per member.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Where each member's views start in an optimizer launch: member k's element i of a view is view[k * stride + i].</summary>
/// <param name="Count">Elements of one member's arena.</param>
/// <param name="Parameters">Member stride of the parameters.</param>
/// <param name="Gradients">Member stride of the gradients.</param>
/// <param name="State1">Member stride of state arena 1 (SGD's momentum buffer, Adam's m).</param>
/// <param name="State2">Member stride of state arena 2 (Adam's v).</param>
/// <param name="Table">Member stride of the table (its row length or more).</param>
public readonly record struct OptimizerStrides(int Count, int Parameters, int Gradients, int State1, int State2, int Table);

/// <summary>One fused optimizer step over every member's whole arena.</summary>
public static class OptimizerKernels
{
    // Offsets into a table row: src/GpuTrainer/Compute/OptimizerHyper.cs (OptimizerTable) documents the layout.
    private const int Kind = 0, Lr = 1, WeightDecay = 2, Momentum = 3, Undampened = 4, Nesterov = 5, FirstStep = 6;
    private const int Beta1 = 3, OneMinusBeta1 = 4, Beta2 = 5, OneMinusBeta2 = 6, StepSize = 7, SqrtBias2 = 8, Eps = 9, Decay = 10, Decoupled = 11;

    /// <summary>
    /// Element i of member k's arena, as member k's table row says: kind 1 SGD (g = grad + wd*p; with momentum:
    /// buf = first ? g : mu*buf + (1-dampening)*g, g = nesterov ? g + mu*buf : buf; p -= lr*g), kind 2 Adam/AdamW
    /// (Adam g = grad + wd*p or AdamW p *= 1 - lr*wd; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
    /// p -= StepSize * m / (sqrt(v) / SqrtBias2 + eps)), kind 0 nothing (a masked member). One thread per element of
    /// every member: consecutive threads walk one member's arena (coalesced); the row is the same for a whole warp but
    /// at a member boundary.
    /// </summary>
    /// <param name="index">k * Count + i, over members x Count.</param>
    /// <param name="p">parameters (K, stride), updated in place.</param>
    /// <param name="grad">gradients (K, stride).</param>
    /// <param name="s1">SGD's momentum buffer or Adam's m (K, stride), updated in place; not touched by plain SGD.</param>
    /// <param name="s2">Adam's v (K, stride), updated in place; not touched by SGD.</param>
    /// <param name="table">(K, stride) rows of float constants.</param>
    /// <param name="strides">Arena length and every view's member stride.</param>
    public static void StepKernel(
        Index1D index, ArrayView<float> p, ArrayView<float> grad, ArrayView<float> s1, ArrayView<float> s2, ArrayView<float> table, OptimizerStrides strides)
    {
        var k = index.X / strides.Count;
        var i = index.X - (k * strides.Count);
        var row = (long)k * strides.Table;
        var kind = table[row + Kind];
        if (kind == 0f)
        {
            return;
        }

        long pi = ((long)k * strides.Parameters) + i, s1i = ((long)k * strides.State1) + i;
        var w = p[pi];
        var g = grad[((long)k * strides.Gradients) + i];
        var lr = table[row + Lr];
        var wd = table[row + WeightDecay];
        if (kind == 1f)
        {
            g += wd * w;
            var mu = table[row + Momentum];
            if (mu != 0f)
            {
                var b = table[row + FirstStep] != 0f ? g : mu * s1[s1i] + table[row + Undampened] * g;
                s1[s1i] = b;
                g = table[row + Nesterov] != 0f ? g + mu * b : b;
            }

            p[pi] = w - lr * g;
            return;
        }

        if (table[row + Decoupled] != 0f)
        {
            w *= table[row + Decay];
        }
        else
        {
            g += wd * w;
        }

        var s2i = ((long)k * strides.State2) + i;
        var m1 = table[row + Beta1] * s1[s1i] + table[row + OneMinusBeta1] * g;
        var v1 = table[row + Beta2] * s2[s2i] + table[row + OneMinusBeta2] * g * g;
        s1[s1i] = m1;
        s2[s2i] = v1;
        p[pi] = w - table[row + StepSize] * m1 / (MathF.Sqrt(v1) / table[row + SqrtBias2] + table[row + Eps]);
    }
}
