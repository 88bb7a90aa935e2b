// Fused GEMM epilogues: operand structs that wrap the plain ones (Gemm.cs, Conv2d.cs) and change only what is stored,
// so a layer's bias, activation, activation backward and bias gradient ride on its GEMM instead of launching alone.
//
// Accumulation rule: outputs are OVERWRITTEN (`=`).
//
//   ConvForwardBiasActivationOperands  y = act(conv(x, w) + bias[oc])                bias along C's rows (OC)
//   GemmBiasActivationOperands         y = act(x W^T + bias[f])                      bias along C's columns (features)
//   LinearBackwardOperands             GEMM batch 0: [dW | db] (Out, In+1) = dy^T [x | 1]
//                                      GEMM batch 1: dx (N, In) = (dy W) * act'(x)   one launch for a linear backward
//   ConvBackwardWeightBiasOperands     [dW | db] (OC, C*KH*KW + 1) = dy im2col([x | 1])^T, per split of the batch
//
// The unfused ops stay as the reference variants (IBackend's Conv2dForward + BiasActivation and so on); the loaders are
// those of the wrapped structs, so every GEMM variant and every loader improvement applies here unchanged.
// SumSlicePairsKernel adds the split-K partials of ConvBackwardWeightBiasOperands into dW and db in one launch.
//
// Members: each struct moves its own views (bias, dW, db, ...) by their member strides in ForMember and lets the wrapped
// struct move the rest, so every member of a group runs in the one launch of its lone shape (Gemm.cs).
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Convolution forward with bias and activation in the store: y (N,OC,OH,OW) = act(conv + bias[oc]).</summary>
/// <param name="Conv">The plain forward operands (input, weight, output).</param>
/// <param name="Bias">bias (OC).</param>
/// <param name="Relu">1 for ReLU, 0 for identity.</param>
/// <param name="BiasStride">Member stride of Bias.</param>
public readonly record struct ConvForwardBiasActivationOperands(ConvForwardOperands Conv, ArrayView<float> Bias, int Relu, int BiasStride = 0)
    : IMatrixOperands<ConvForwardBiasActivationOperands>
{
    /// <inheritdoc/>
    public ConvForwardBiasActivationOperands ForMember(int member) => new(Conv.ForMember(member), Bias.SubView(member * BiasStride), Relu, BiasStride);

    /// <inheritdoc/>
    public int Rows => Conv.Rows;

    /// <inheritdoc/>
    public int Cols => Conv.Cols;

    /// <inheritdoc/>
    public int Depth => Conv.Depth;

    /// <inheritdoc/>
    public bool AAlongDepth => Conv.AAlongDepth;

    /// <inheritdoc/>
    public bool BAlongCols => Conv.BAlongCols;

    /// <inheritdoc/>
    public float A(int batch, int row, int k) => Conv.A(batch, row, k);

    /// <inheritdoc/>
    public float B(int batch, int k, int col) => Conv.B(batch, k, col);

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => Conv.RowOffset(batch, row);

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => Conv.ColOffset(batch, col);

    /// <summary>C's rows are output channels: the bias of row <paramref name="row"/>.</summary>
    public void Store(long index, int row, int col, float dot) => Conv.Store(index, row, col, ActivationKernels.Activate(dot + Bias[row], Relu));
}

/// <summary>
/// Linear forward with bias and activation in the store: y (N,F) = act(x (N,In) W^T + bias[f]). The wrapped GEMM has
/// alpha 1 and beta 0, so its store writes the value unchanged.
/// </summary>
/// <param name="Gemm">The plain GEMM operands (x, W transposed, y).</param>
/// <param name="Bias">bias (F).</param>
/// <param name="Relu">1 for ReLU, 0 for identity.</param>
/// <param name="BiasStride">Member stride of Bias.</param>
public readonly record struct GemmBiasActivationOperands(GemmOperands Gemm, ArrayView<float> Bias, int Relu, int BiasStride = 0)
    : IMatrixOperands<GemmBiasActivationOperands>
{
    /// <inheritdoc/>
    public GemmBiasActivationOperands ForMember(int member) => new(Gemm.ForMember(member), Bias.SubView(member * BiasStride), Relu, BiasStride);

    /// <inheritdoc/>
    public int Rows => Gemm.Rows;

    /// <inheritdoc/>
    public int Cols => Gemm.Cols;

    /// <inheritdoc/>
    public int Depth => Gemm.Depth;

    /// <inheritdoc/>
    public bool AAlongDepth => Gemm.AAlongDepth;

    /// <inheritdoc/>
    public bool BAlongCols => Gemm.BAlongCols;

    /// <inheritdoc/>
    public float A(int batch, int row, int k) => Gemm.A(batch, row, k);

    /// <inheritdoc/>
    public float B(int batch, int k, int col) => Gemm.B(batch, k, col);

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => Gemm.RowOffset(batch, row);

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => Gemm.ColOffset(batch, col);

    /// <summary>C's columns are features: the bias of column <paramref name="col"/>.</summary>
    public void Store(long index, int row, int col, float dot) => Gemm.Store(index, row, col, ActivationKernels.Activate(dot + Bias[col], Relu));
}

/// <summary>
/// A linear layer's whole backward as one launch of two GEMM batches over one grid, x (N,In), dy (N,Out), W (Out,In):
/// batch 0 writes [dW | db] (Out, In+1) = dy^T (Out,N) [x | 1] (N, In+1), so column In is the bias gradient (the sum of
/// dy over the batch); batch 1 writes dx (N,In) = dy (N,Out) W (Out,In), times act'(x) when x is the output of an
/// activation (the previous layer's ReLU backward, fused). The grid covers the larger of the two shapes,
/// (max(Out,N), In+1) with depth max(N,Out): loads outside a batch's own shape read 0 and its stores are skipped.
/// </summary>
/// <param name="X">x (N,In), the layer's input.</param>
/// <param name="DY">dy (N,Out).</param>
/// <param name="Weight">W (Out,In).</param>
/// <param name="DWeight">dW (Out,In), overwritten.</param>
/// <param name="DBias">db (Out), overwritten.</param>
/// <param name="DX">dx (N,In), overwritten by GEMM batch 1 (launch one batch to skip it).</param>
/// <param name="N">Batch size.</param>
/// <param name="In">Input features.</param>
/// <param name="Out">Output features.</param>
/// <param name="InputRelu">1 when x is a ReLU's output: dx is then zero where x &lt;= 0.</param>
/// <param name="Strides">Member strides of the six views.</param>
public readonly record struct LinearBackwardOperands(
    ArrayView<float> X, ArrayView<float> DY, ArrayView<float> Weight, ArrayView<float> DWeight, ArrayView<float> DBias, ArrayView<float> DX,
    int N, int In, int Out, int InputRelu, LinearBackwardStrides Strides = default) : IMatrixOperands<LinearBackwardOperands>
{
    /// <inheritdoc/>
    public LinearBackwardOperands ForMember(int member) => new(
        X.SubView(member * Strides.X), DY.SubView(member * Strides.DY), Weight.SubView(member * Strides.Weight),
        DWeight.SubView(member * Strides.DWeight), DBias.SubView(member * Strides.DBias), DX.SubView(member * Strides.DX), N, In, Out, InputRelu, Strides);

    /// <inheritdoc/>
    public int Rows => Math.Max(Out, N);

    /// <inheritdoc/>
    public int Cols => In + 1;

    /// <inheritdoc/>
    public int Depth => Math.Max(N, Out);

    // Batch 0's op(A) = dy^T runs along rows; batch 1's dy along depth. The coalescing hint follows the weight gradient.
    /// <inheritdoc/>
    public bool AAlongDepth => false;

    /// <inheritdoc/>
    public bool BAlongCols => true;

    // Element indices of batch 1 start here, past every index of batch 0 (< Rows * In + In).
    private long BatchStride => (long)Rows * (In + 1);

    /// <inheritdoc/>
    public float A(int batch, int row, int k) => batch == 0
        ? row < Out && k < N ? DY[(long)k * Out + row] : 0f
        : row < N && k < Out ? DY[(long)row * Out + k] : 0f;

    /// <inheritdoc/>
    public float B(int batch, int k, int col) => batch == 0
        ? k < N ? (col < In ? X[(long)k * In + col] : 1f) : 0f
        : k < Out && col < In ? Weight[(long)k * In + col] : 0f;

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => batch * BatchStride + (long)row * In;

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => col;

    /// <summary>Batch 0: dW[row, col], or db[row] in column In; batch 1: dx[row, col] (both (.., In) row-major).</summary>
    public void Store(long index, int row, int col, float dot)
    {
        if (index < BatchStride)
        {
            if (row < Out)
            {
                if (col < In)
                {
                    DWeight[index] = dot;
                }
                else
                {
                    DBias[row] = dot;
                }
            }
        }
        else if (row < N && col < In)
        {
            var i = index - BatchStride;
            DX[i] = ActivationKernels.Derive(X[i], dot, InputRelu);
        }
    }
}

/// <summary>Member strides of <see cref="LinearBackwardOperands"/>' views (0 for one member).</summary>
/// <param name="X">Of x.</param>
/// <param name="DY">Of dy.</param>
/// <param name="Weight">Of W.</param>
/// <param name="DWeight">Of dW.</param>
/// <param name="DBias">Of db.</param>
/// <param name="DX">Of dx.</param>
public readonly record struct LinearBackwardStrides(int X, int DY, int Weight, int DWeight, int DBias, int DX);

/// <summary>
/// Convolution backward-weight with the bias gradient as one more column: per split s of the batch (see
/// <see cref="ConvBackwardWeightOperands"/>), [dW | db] (OC, C*KH*KW + 1) = dy (OC, images*OH*OW) [im2col(x)^T | 1],
/// so column C*KH*KW sums dy over the split's images and pixels. Weight partials go to (splits, OC, C*KH*KW) in
/// <see cref="ConvBackwardWeightOperands.Partials"/>, bias partials to <paramref name="BiasPartials"/> (splits, OC);
/// with one split these are dW and db themselves.
/// </summary>
/// <param name="Weight">The plain backward-weight operands (input, dOutput, weight partials).</param>
/// <param name="BiasPartials">(splits, OC), overwritten.</param>
/// <param name="BiasPartialsStride">Member stride of BiasPartials (splits * OC in a scratch, dBias's stride with one split).</param>
public readonly record struct ConvBackwardWeightBiasOperands(ConvBackwardWeightOperands Weight, ArrayView<float> BiasPartials, int BiasPartialsStride = 0)
    : IMatrixOperands<ConvBackwardWeightBiasOperands>
{
    /// <inheritdoc/>
    public ConvBackwardWeightBiasOperands ForMember(int member) =>
        new(Weight.ForMember(member), BiasPartials.SubView(member * BiasPartialsStride), BiasPartialsStride);

    /// <inheritdoc/>
    public int Rows => Weight.Rows;

    /// <inheritdoc/>
    public int Cols => Weight.Cols + 1;

    /// <inheritdoc/>
    public int Depth => Weight.Depth;

    /// <inheritdoc/>
    public bool AAlongDepth => Weight.AAlongDepth;

    /// <inheritdoc/>
    public bool BAlongCols => Weight.BAlongCols;

    /// <inheritdoc/>
    public float A(int batch, int row, int k) => Weight.A(batch, row, k);

    /// <summary>im2col(x)^T, and 1 in the bias column (dy, op(A), is already 0 past the batch's last image).</summary>
    public float B(int batch, int k, int col) => col < Weight.Cols ? Weight.B(batch, k, col) : 1f;

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => Weight.RowOffset(batch, row);

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => col;

    /// <summary>
    /// Weight columns go where the plain struct puts them; the bias column's index is (s*OC + oc + 1) * C*KH*KW, so
    /// its partial's slot s*OC + oc is one division away (one column in C*KH*KW + 1 pays it).
    /// </summary>
    public void Store(long index, int row, int col, float dot)
    {
        var patch = Weight.Cols;
        if (col < patch)
        {
            Weight.Store(index, row, col, dot);
        }
        else
        {
            BiasPartials[index / patch - 1] = dot;
        }
    }
}

/// <summary>The split-K sum of the fused backward-weight.</summary>
public static class SplitSumKernels
{
    /// <summary>
    /// Two split-K sums per member in one launch: for element i &lt; firstLength of member k, first[i] = sum over s of
    /// firstSlices[s, i]; past it, second[j] = sum over s of secondSlices[s, j] with j = i - firstLength, each member on
    /// its views. Slices (count, length) back to back.
    /// </summary>
    /// <param name="index">member * (firstLength + secondLength) + element.</param>
    /// <param name="firstSlices">(count, firstLength) per member.</param>
    /// <param name="first">The first total (dW, firstLength), overwritten.</param>
    /// <param name="secondSlices">(count, secondLength) per member.</param>
    /// <param name="second">The second total (db), overwritten.</param>
    /// <param name="count">Number of slices.</param>
    /// <param name="firstLength">Elements of the first total.</param>
    /// <param name="members">Count = firstLength + secondLength; strides of firstSlices, first, secondSlices, second.</param>
    public static void SumSlicePairsKernel(
        Index1D index, ArrayView<float> firstSlices, ArrayView<float> first, ArrayView<float> secondSlices, ArrayView<float> second, int count,
        int firstLength, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        var inFirst = element < firstLength;
        var slices = inFirst ? firstSlices.SubView(member * members.First) : secondSlices.SubView(member * members.Third);
        var sum = inFirst ? first.SubView(member * members.Second) : second.SubView(member * members.Fourth);
        var length = inFirst ? firstLength : members.Count - firstLength;
        long i = inFirst ? element : element - firstLength;
        var total = 0f;
        for (var s = 0; s < count; s++)
        {
            total += slices[s * length + i];
        }

        sum[i] = total;
    }
}
