// 2-D convolution kernels, NCHW, PyTorch semantics (cross-correlation, zero padding, no dilation/groups).
//
// Accumulation rule: outputs are OVERWRITTEN (`=`): y, dx and dw (dw summed over the batch).
//
// Strategy: implicit GEMM. Each pass is one GEMM whose loaders gather im2col / col2im elements
// on the fly, so no column buffer is materialised and the whole batch is ONE launch of the tiled
// GEMM loop (Gemm.cs), the batch folded into the GEMM's columns or depth:
//   forward      y  (OC, N*OH*OW) = w (OC, C*KH*KW)        x  im2col(x) (C*KH*KW, N*OH*OW)
//   backward-data dx (C, N*H*W)  = w^T (C, OC*KH*KW)       x  gather(dy) (OC*KH*KW, N*H*W)
//   backward-weight dw (OC, C*KH*KW) = dy (OC, N*OH*OW)    x  im2col(x)^T (N*OH*OW, C*KH*KW)
// Backward-weight reduces over N*OH*OW, which for a first layer is long while dw is tiny (6 x 25 for
// LeNet's conv1): to keep the GPU busy it is split over groups of images (split-K). Split s is
// GEMM batch s and writes partials (splits, OC, C*KH*KW); ReductionKernels.SumSlicesKernel then sums
// them into dw (2 launches, deterministic). With one split the GEMM writes dw directly.
// Backward-data is a gather per input element (no scatter, no atomics): tap (oc, kh, kw) of input
// (ih, iw) reads dy[oh, ow] where oh*SH - PH + kh = ih, when such an in-range oh exists. At stride 1 that is
// a correlation of dy with the flipped kernel (ConvBackwardDataStride1Operands): every tap inside dy is a
// real one, so no zero taps are read; other strides use ConvBackwardDataOperands, which tests each tap.
//
// Loaders: forward, backward-weight and stride-1 backward-data split their GEMM indices into (n, c, h, w)
// through index tables built once per geometry (ConvIndexTables.cs): no integer division or modulo per
// loaded element, only two table reads, two unsigned compares and one add.
//
// Kernels: the GEMM loops of Gemm.cs (1 naive, 2 tiled, 3/4 register-blocked) closed over the four operand
// structs below; the backend launches GemmKernels.XxxKernel<ConvForwardOperands> etc., the variant picked
// per shape like a plain GEMM (IlgpuBackend / GemmVariants).
//
// Members: every struct carries the member strides of its tensors (trailing constructor arguments, 0 for one member
// or a view every member shares: conv1's forward reads the shared input batch at stride 0, so one launch of grid z = K
// covers K x OC filters). ForMember moves the views; the index tables are per geometry and shared by every member.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Convolution sizes: input (N,C,H,W), weight (OC,C,KH,KW), output (N,OC,OH,OW).</summary>
/// <param name="N">Batch size.</param>
/// <param name="C">Input channels.</param>
/// <param name="H">Input height.</param>
/// <param name="W">Input width.</param>
/// <param name="OC">Output channels.</param>
/// <param name="KH">Kernel height.</param>
/// <param name="KW">Kernel width.</param>
/// <param name="SH">Vertical stride.</param>
/// <param name="SW">Horizontal stride.</param>
/// <param name="PH">Vertical zero padding.</param>
/// <param name="PW">Horizontal zero padding.</param>
/// <param name="OH">Output height.</param>
/// <param name="OW">Output width.</param>
public readonly record struct ConvGeometry(
    int N, int C, int H, int W, int OC, int KH, int KW, int SH, int SW, int PH, int PW, int OH, int OW)
{
    /// <summary>Taps per output element and input channel: KH*KW.</summary>
    public int Taps => KH * KW;

    /// <summary>im2col rows: C*KH*KW.</summary>
    public int Patch => C * KH * KW;

    /// <summary>Output pixels per plane: OH*OW.</summary>
    public int OutPlane => OH * OW;

    /// <summary>Input pixels per plane: H*W.</summary>
    public int InPlane => H * W;
}

/// <summary>Forward pass as a GEMM: y (OC, N*OH*OW) = w (OC, C*KH*KW) x im2col(x).</summary>
/// <param name="G">Sizes.</param>
/// <param name="Pixels">ConvIndexTables.OutputPixels(G): one entry per column.</param>
/// <param name="PatchRows">ConvIndexTables.Patches(G): one entry per depth index.</param>
/// <param name="X">input (N,C,H,W).</param>
/// <param name="Weight">weight (OC,C,KH,KW).</param>
/// <param name="Y">output (N,OC,OH,OW), overwritten.</param>
/// <param name="XStride">Member stride of X (0: every member reads the same input).</param>
/// <param name="WeightStride">Member stride of Weight.</param>
/// <param name="YStride">Member stride of Y.</param>
public readonly record struct ConvForwardOperands(
    ConvGeometry G, ArrayView<ConvIndex> Pixels, ArrayView<ConvIndex> PatchRows, ArrayView<float> X, ArrayView<float> Weight, ArrayView<float> Y,
    int XStride = 0, int WeightStride = 0, int YStride = 0)
    : IMatrixOperands<ConvForwardOperands>
{
    /// <inheritdoc/>
    public ConvForwardOperands ForMember(int member) => new(
        G, Pixels, PatchRows, X.SubView(member * XStride), Weight.SubView(member * WeightStride), Y.SubView(member * YStride), XStride, WeightStride, YStride);

    /// <inheritdoc/>
    public int Rows => G.OC;

    /// <inheritdoc/>
    public int Cols => G.N * G.OutPlane;

    /// <inheritdoc/>
    public int Depth => G.Patch;

    /// <inheritdoc/>
    public bool AAlongDepth => true;

    /// <inheritdoc/>
    public bool BAlongCols => true;

    /// <inheritdoc/>
    public float A(int batch, int row, int k) => Weight[row * G.Patch + k];

    /// <inheritdoc/>
    public float B(int batch, int k, int col)
    {
        ConvIndex pixel = Pixels[col], tap = PatchRows[k];
        return pixel.Inside(tap, G.H, G.W) ? X[pixel.Offset + tap.Offset] : 0f;
    }

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => (long)row * G.OutPlane;

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => Pixels[col].Out;

    /// <inheritdoc/>
    public void Store(long index, int row, int col, float dot) => Y[index] = dot;
}

/// <summary>Backward-data as a GEMM: dx (C, N*H*W) = w^T (C, OC*KH*KW) x gather(dy) (OC*KH*KW, N*H*W).</summary>
/// <param name="G">Sizes.</param>
/// <param name="DY">dOutput (N,OC,OH,OW).</param>
/// <param name="Weight">weight (OC,C,KH,KW).</param>
/// <param name="DX">dInput (N,C,H,W), overwritten.</param>
/// <param name="DYStride">Member stride of DY.</param>
/// <param name="WeightStride">Member stride of Weight.</param>
/// <param name="DXStride">Member stride of DX.</param>
public readonly record struct ConvBackwardDataOperands(
    ConvGeometry G, ArrayView<float> DY, ArrayView<float> Weight, ArrayView<float> DX, int DYStride = 0, int WeightStride = 0, int DXStride = 0)
    : IMatrixOperands<ConvBackwardDataOperands>
{
    /// <inheritdoc/>
    public ConvBackwardDataOperands ForMember(int member) =>
        new(G, DY.SubView(member * DYStride), Weight.SubView(member * WeightStride), DX.SubView(member * DXStride), DYStride, WeightStride, DXStride);

    /// <inheritdoc/>
    public int Rows => G.C;

    /// <inheritdoc/>
    public int Cols => G.N * G.InPlane;

    /// <inheritdoc/>
    public int Depth => G.OC * G.Taps;

    /// <inheritdoc/>
    public bool AAlongDepth => true;

    /// <inheritdoc/>
    public bool BAlongCols => true;

    /// <inheritdoc/>
    public float A(int batch, int row, int k)
    {
        var oc = k / G.Taps;
        return Weight[((long)oc * G.C + row) * G.Taps + k - oc * G.Taps];
    }

    /// <inheritdoc/>
    public float B(int batch, int k, int col)
    {
        int oc = k / G.Taps, tap = k - oc * G.Taps;
        int kh = tap / G.KW, kw = tap - kh * G.KW;
        int n = col / G.InPlane, pixel = col - n * G.InPlane;
        int ih = pixel / G.W, iw = pixel - ih * G.W;
        int th = ih + G.PH - kh, tw = iw + G.PW - kw;
        if (th < 0 || tw < 0 || th % G.SH != 0 || tw % G.SW != 0)
        {
            return 0f;
        }

        int oh = th / G.SH, ow = tw / G.SW;
        return oh < G.OH && ow < G.OW ? DY[((long)(n * G.OC + oc) * G.OH + oh) * G.OW + ow] : 0f;
    }

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => (long)row * G.InPlane;

    /// <inheritdoc/>
    public long ColOffset(int batch, int col)
    {
        var n = col / G.InPlane;
        return (long)n * G.C * G.InPlane + col - n * G.InPlane;
    }

    /// <inheritdoc/>
    public void Store(long index, int row, int col, float dot) => DX[index] = dot;
}

/// <summary>
/// Backward-data at stride 1 as a GEMM: dx (C, N*H*W) = w^T (C, OC*KH*KW) x dy gathered with the flipped kernel
/// (OC*KH*KW, N*H*W): dx[n, c, ih, iw] = sum over (oc, kh, kw) of w[oc, c, kh, kw] * dy[n, oc, ih+PH-kh, iw+PW-kw].
/// </summary>
/// <param name="G">Sizes; SH = SW = 1.</param>
/// <param name="Pixels">ConvIndexTables.InputPixels(G): one entry per column.</param>
/// <param name="Taps">ConvIndexTables.FlippedTaps(G): one entry per depth index.</param>
/// <param name="DY">dOutput (N,OC,OH,OW).</param>
/// <param name="Weight">weight (OC,C,KH,KW).</param>
/// <param name="DX">dInput (N,C,H,W), overwritten.</param>
/// <param name="DYStride">Member stride of DY.</param>
/// <param name="WeightStride">Member stride of Weight.</param>
/// <param name="DXStride">Member stride of DX.</param>
public readonly record struct ConvBackwardDataStride1Operands(
    ConvGeometry G, ArrayView<ConvIndex> Pixels, ArrayView<ConvIndex> Taps, ArrayView<float> DY, ArrayView<float> Weight, ArrayView<float> DX,
    int DYStride = 0, int WeightStride = 0, int DXStride = 0)
    : IMatrixOperands<ConvBackwardDataStride1Operands>
{
    /// <inheritdoc/>
    public ConvBackwardDataStride1Operands ForMember(int member) => new(
        G, Pixels, Taps, DY.SubView(member * DYStride), Weight.SubView(member * WeightStride), DX.SubView(member * DXStride), DYStride, WeightStride, DXStride);

    /// <inheritdoc/>
    public int Rows => G.C;

    /// <inheritdoc/>
    public int Cols => G.N * G.InPlane;

    /// <inheritdoc/>
    public int Depth => G.OC * G.Taps;

    /// <inheritdoc/>
    public bool AAlongDepth => true;

    /// <inheritdoc/>
    public bool BAlongCols => true;

    /// <inheritdoc/>
    public float A(int batch, int row, int k) => Weight[Taps[k].Out + row * G.Taps];

    /// <inheritdoc/>
    public float B(int batch, int k, int col)
    {
        ConvIndex pixel = Pixels[col], tap = Taps[k];
        return pixel.Inside(tap, G.OH, G.OW) ? DY[pixel.Offset + tap.Offset] : 0f;
    }

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => (long)row * G.InPlane;

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => Pixels[col].Out;

    /// <inheritdoc/>
    public void Store(long index, int row, int col, float dot) => DX[index] = dot;
}

/// <summary>
/// Backward-weight as a GEMM per split s of the batch (images [s*ImagesPerSplit, (s+1)*ImagesPerSplit) within N):
/// partial[s] (OC, C*KH*KW) = dy (OC, images*OH*OW) x im2col(x)^T (images*OH*OW, C*KH*KW).
/// </summary>
/// <param name="G">Sizes.</param>
/// <param name="ImagesPerSplit">Images each split (GEMM batch) reduces; N for a single split.</param>
/// <param name="Pixels">ConvIndexTables.OutputPixels(G): one entry per output pixel of the whole batch.</param>
/// <param name="PatchRows">ConvIndexTables.Patches(G): one entry per column.</param>
/// <param name="X">input (N,C,H,W).</param>
/// <param name="DY">dOutput (N,OC,OH,OW).</param>
/// <param name="Partials">(splits, OC, C, KH, KW), overwritten; with one split this is dWeight itself.</param>
/// <param name="XStride">Member stride of X (0: every member reads the same input).</param>
/// <param name="DYStride">Member stride of DY.</param>
/// <param name="PartialsStride">Member stride of Partials (splits * OC*C*KH*KW in a scratch, dWeight's stride with one split).</param>
public readonly record struct ConvBackwardWeightOperands(
    ConvGeometry G, int ImagesPerSplit, ArrayView<ConvIndex> Pixels, ArrayView<ConvIndex> PatchRows, ArrayView<float> X, ArrayView<float> DY,
    ArrayView<float> Partials, int XStride = 0, int DYStride = 0, int PartialsStride = 0)
    : IMatrixOperands<ConvBackwardWeightOperands>
{
    /// <inheritdoc/>
    public ConvBackwardWeightOperands ForMember(int member) => new(
        G, ImagesPerSplit, Pixels, PatchRows, X.SubView(member * XStride), DY.SubView(member * DYStride), Partials.SubView(member * PartialsStride),
        XStride, DYStride, PartialsStride);

    /// <inheritdoc/>
    public int Rows => G.OC;

    /// <inheritdoc/>
    public int Cols => G.Patch;

    /// <inheritdoc/>
    public int Depth => ImagesPerSplit * G.OutPlane;

    /// <inheritdoc/>
    public bool AAlongDepth => true;

    // Consecutive depth (output pixels) walks the input row; consecutive columns (taps) jump planes.
    /// <inheritdoc/>
    public bool BAlongCols => false;

    /// <inheritdoc/>
    public float A(int batch, int row, int k)
    {
        var q = batch * Depth + k;
        return q < G.N * G.OutPlane ? DY[Pixels[q].Out + row * G.OutPlane] : 0f;
    }

    /// <inheritdoc/>
    public float B(int batch, int k, int col)
    {
        var q = batch * Depth + k;
        if (q >= G.N * G.OutPlane)
        {
            return 0f;
        }

        ConvIndex pixel = Pixels[q], tap = PatchRows[col];
        return pixel.Inside(tap, G.H, G.W) ? X[pixel.Offset + tap.Offset] : 0f;
    }

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => ((long)batch * G.OC + row) * G.Patch;

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => col;

    /// <inheritdoc/>
    public void Store(long index, int row, int col, float dot) => Partials[index] = dot;
}
