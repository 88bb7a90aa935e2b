// Bias + activation kernels and the activation backward, element-wise over a tensor viewed as
// (outer, channels, inner): (N,F,1) after a linear layer, (N,OC,OH*OW) after a convolution.
//
// Accumulation rule: outputs are OVERWRITTEN (`=`); y may alias x and dx may alias dy
// (each thread reads its element before writing it).
//
// Variants: one each; one thread per element, consecutive threads touch consecutive addresses.
//
// Members: one launch covers every member of a group (MemberStrides.cs): index = member * count + element.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Element-wise bias + activation and its backward.</summary>
public static class ActivationKernels
{
    /// <summary>y[o,c,i] = act(x[o,c,i] + bias[c]), tensors (outer, channels, inner) flattened, per member.</summary>
    /// <param name="index">member * outer*channels*inner + flat element index.</param>
    /// <param name="x">input (outer, channels, inner) of every member.</param>
    /// <param name="bias">bias (channels) of every member; read only when <paramref name="hasBias"/> is 1.</param>
    /// <param name="y">output (outer, channels, inner) of every member; may be <paramref name="x"/>.</param>
    /// <param name="channels">Channels (the bias length).</param>
    /// <param name="inner">Elements per channel and outer index.</param>
    /// <param name="hasBias">1 to add the bias, 0 to add nothing.</param>
    /// <param name="relu">1 for ReLU, 0 for identity.</param>
    /// <param name="members">Count = outer*channels*inner; strides of x, bias, y.</param>
    public static void BiasActivationKernel(
        Index1D index, ArrayView<float> x, ArrayView<float> bias, ArrayView<float> y, int channels, int inner, int hasBias, int relu, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        var v = x[member * members.First + element];
        if (hasBias != 0)
        {
            v += bias[member * members.Second + element / inner % channels];
        }

        y[member * members.Third + element] = Activate(v, relu);
    }

    /// <summary>act(v): ReLU (negative to 0) when <paramref name="relu"/> is 1, else v; shared with the GEMM epilogues.</summary>
    /// <param name="v">The pre-activation value.</param>
    /// <param name="relu">1 for ReLU, 0 for identity.</param>
    public static float Activate(float v, int relu) => relu != 0 && v < 0f ? 0f : v;

    /// <summary>dy * act'(y) for the activation's output y: 0 where ReLU's output is &lt;= 0; shared with the fused backwards.</summary>
    /// <param name="y">The activation's output.</param>
    /// <param name="dy">dOutput.</param>
    /// <param name="relu">1 for ReLU, 0 for identity.</param>
    public static float Derive(float y, float dy, int relu) => relu != 0 && y <= 0f ? 0f : dy;

    /// <summary>dx = dy * act'(y); ReLU's derivative is 0 where y &lt;= 0. Tensors (count) flat, per member.</summary>
    /// <param name="index">member * count + element index.</param>
    /// <param name="y">The activation's output (count) of every member.</param>
    /// <param name="dy">dOutput (count) of every member.</param>
    /// <param name="dx">dInput (count) of every member; may be <paramref name="dy"/>.</param>
    /// <param name="relu">1 for ReLU, 0 for identity.</param>
    /// <param name="members">Count = count; strides of y, dy, dx.</param>
    public static void BackwardKernel(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int relu, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        dx[member * members.Third + element] = Derive(y[member * members.First + element], dy[member * members.Second + element], relu);
    }
}
