// 2-D max and average pooling kernels, NCHW, PyTorch semantics (floor mode; padded cells never
// win a max; average pooling counts padded cells as zeros, i.e. always divides by KH*KW).
//
// Accumulation rule: outputs are OVERWRITTEN (`=`), dx included.
//
// Forward passes: one thread per output element. Backward passes GATHER: one thread per input
// element sums the dy of every window that contains it, so overlapping windows need no atomics
// and the result is deterministic. Max-pool backward recomputes each window's first arg-max
// (row-major) and takes dy only where that winner is this element.
//
// Variants: one each (naive gather); the windows are tiny, so shared-memory tiling buys nothing here.
//
// Members: one launch covers every member of a group (MemberStrides.cs): index = member * count + element, the views
// moved to the member's start, and the one-member code from there.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Pooling sizes: input (N,C,H,W), output (N,C,OH,OW), window KH x KW.</summary>
/// <param name="H">Input height.</param>
/// <param name="W">Input width.</param>
/// <param name="KH">Window height.</param>
/// <param name="KW">Window width.</param>
/// <param name="SH">Vertical stride.</param>
/// <param name="SW">Horizontal stride.</param>
/// <param name="PH">Vertical padding.</param>
/// <param name="PW">Horizontal padding.</param>
/// <param name="OH">Output height.</param>
/// <param name="OW">Output width.</param>
public readonly record struct PoolGeometry(int H, int W, int KH, int KW, int SH, int SW, int PH, int PW, int OH, int OW)
{
    /// <summary>
    /// The windows covering input element <paramref name="index"/> (flat, N*C*H*W): its plane and the
    /// output rows [oh0, ohEnd) and columns [ow0, owEnd) whose windows contain it.
    /// </summary>
    public void Covering(int index, out int plane, out int oh0, out int ohEnd, out int ow0, out int owEnd)
    {
        plane = index / (H * W);
        int pixel = index - plane * H * W, ih = pixel / W, iw = pixel - ih * W;
        oh0 = FirstWindow(ih, PH, KH, SH);
        ow0 = FirstWindow(iw, PW, KW, SW);
        ohEnd = Math.Min(OH, (ih + PH) / SH + 1);
        owEnd = Math.Min(OW, (iw + PW) / SW + 1);
    }

    /// <summary>Flat input index of the first maximal in-image cell (row-major) of window (oh, ow) of a plane.</summary>
    public long ArgMax(ArrayView<float> x, long plane, int oh, int ow)
    {
        int h0 = oh * SH - PH, w0 = ow * SW - PW;
        long best = -1;
        var bestValue = 0f;
        for (var ih = Math.Max(h0, 0); ih < Math.Min(h0 + KH, H); ih++)
        {
            for (var iw = Math.Max(w0, 0); iw < Math.Min(w0 + KW, W); iw++)
            {
                var index = (plane * H + ih) * W + iw;
                var value = x[index];
                if (best < 0 || value > bestValue)
                {
                    (best, bestValue) = (index, value);
                }
            }
        }

        return best;
    }

    // First output index whose window (size k, stride, padding pad) reaches input position pos.
    private static int FirstWindow(int pos, int pad, int k, int stride) => pos + pad - k < 0 ? 0 : (pos + pad - k) / stride + 1;
}

/// <summary>Max and average pooling, forward and backward.</summary>
public static class PoolingKernels
{
    /// <summary>y (N,C,OH,OW) = max over each window of x (N,C,H,W), per member.</summary>
    /// <param name="index">member * N*C*OH*OW + flat output index.</param>
    /// <param name="g">Sizes.</param>
    /// <param name="all">input (N,C,H,W) of every member.</param>
    /// <param name="allY">output (N,C,OH,OW) of every member.</param>
    /// <param name="members">Count = N*C*OH*OW; strides of x, y.</param>
    public static void MaxForwardKernel(Index1D index, PoolGeometry g, ArrayView<float> all, ArrayView<float> allY, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        ArrayView<float> x = all.SubView(member * members.First), y = allY.SubView(member * members.Second);
        int plane = element / (g.OH * g.OW), pixel = element - plane * g.OH * g.OW;
        int oh = pixel / g.OW, ow = pixel - oh * g.OW;
        y[element] = x[g.ArgMax(x, plane, oh, ow)];
    }

    /// <summary>
    /// dx (N,C,H,W) = sum of dy over the windows whose first maximum is this element, times ReLU'(x) when
    /// <paramref name="relu"/> is 1 (x is then a ReLU's output, whose backward this fuses).
    /// </summary>
    /// <param name="index">member * N*C*H*W + flat input index.</param>
    /// <param name="g">Sizes.</param>
    /// <param name="allX">input (N,C,H,W) of the forward pass, every member.</param>
    /// <param name="allDY">dOutput (N,C,OH,OW), every member.</param>
    /// <param name="allDX">dInput (N,C,H,W), every member, overwritten.</param>
    /// <param name="relu">1 to zero dx where x &lt;= 0 (the fused ReLU backward), 0 for the plain pool backward.</param>
    /// <param name="members">Count = N*C*H*W; strides of x, dy, dx.</param>
    public static void MaxBackwardKernel(
        Index1D index, PoolGeometry g, ArrayView<float> allX, ArrayView<float> allDY, ArrayView<float> allDX, int relu, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        ArrayView<float> x = allX.SubView(member * members.First), dy = allDY.SubView(member * members.Second), dx = allDX.SubView(member * members.Third);
        g.Covering(element, out var plane, out var oh0, out var ohEnd, out var ow0, out var owEnd);
        var sum = 0f;
        for (var oh = oh0; oh < ohEnd; oh++)
        {
            for (var ow = ow0; ow < owEnd; ow++)
            {
                if (g.ArgMax(x, plane, oh, ow) == element)
                {
                    sum += dy[((long)plane * g.OH + oh) * g.OW + ow];
                }
            }
        }

        dx[element] = ActivationKernels.Derive(x[element], sum, relu);
    }

    /// <summary>y (N,C,OH,OW) = sum over each window of x (N,C,H,W) / (KH*KW), padding counted as zeros.</summary>
    /// <param name="index">member * N*C*OH*OW + flat output index.</param>
    /// <param name="g">Sizes.</param>
    /// <param name="all">input (N,C,H,W) of every member.</param>
    /// <param name="allY">output (N,C,OH,OW) of every member.</param>
    /// <param name="members">Count = N*C*OH*OW; strides of x, y.</param>
    public static void AvgForwardKernel(Index1D index, PoolGeometry g, ArrayView<float> all, ArrayView<float> allY, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        ArrayView<float> x = all.SubView(member * members.First), y = allY.SubView(member * members.Second);
        int plane = element / (g.OH * g.OW), pixel = element - plane * g.OH * g.OW;
        int oh = pixel / g.OW, ow = pixel - oh * g.OW;
        int h0 = oh * g.SH - g.PH, w0 = ow * g.SW - g.PW;
        var sum = 0f;
        for (var ih = Math.Max(h0, 0); ih < Math.Min(h0 + g.KH, g.H); ih++)
        {
            for (var iw = Math.Max(w0, 0); iw < Math.Min(w0 + g.KW, g.W); iw++)
            {
                sum += x[((long)plane * g.H + ih) * g.W + iw];
            }
        }

        y[element] = sum / (g.KH * g.KW);
    }

    /// <summary>dx (N,C,H,W) = sum of dy over the windows containing this element, / (KH*KW).</summary>
    /// <param name="index">member * N*C*H*W + flat input index.</param>
    /// <param name="g">Sizes.</param>
    /// <param name="allDY">dOutput (N,C,OH,OW), every member.</param>
    /// <param name="allDX">dInput (N,C,H,W), every member, overwritten.</param>
    /// <param name="members">Count = N*C*H*W; strides of dy, dx.</param>
    public static void AvgBackwardKernel(Index1D index, PoolGeometry g, ArrayView<float> allDY, ArrayView<float> allDX, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        ArrayView<float> dy = allDY.SubView(member * members.First), dx = allDX.SubView(member * members.Second);
        g.Covering(element, out var plane, out var oh0, out var ohEnd, out var ow0, out var owEnd);
        var sum = 0f;
        for (var oh = oh0; oh < ohEnd; oh++)
        {
            for (var ow = ow0; ow < owEnd; ow++)
            {
                sum += dy[((long)plane * g.OH + oh) * g.OW + ow];
            }
        }

        dx[element] = sum / (g.KH * g.KW);
    }
}
