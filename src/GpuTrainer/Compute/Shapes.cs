namespace GpuTrainer.Compute;

/// <summary>
/// Batched, strided, row-major GEMM: for each b in [0, Batch):
/// C[b] (M,N) = alpha * op(A[b]) (M,K) * op(B[b]) (K,N) + beta * C[b].
/// A[b] is stored (M,K) or, when <see cref="TransA"/>, (K,M); B[b] is stored (K,N) or, when
/// <see cref="TransB"/>, (N,K). Batch b of each operand starts at b * its stride (elements).
/// A stride of 0 broadcasts one matrix to every batch.
/// </summary>
public readonly record struct GemmShape(
    int M, int N, int K, bool TransA = false, bool TransB = false,
    int Batch = 1, long StrideA = 0, long StrideB = 0, long StrideC = 0)
{
    /// <summary>Elements the A view must hold.</summary>
    public long ASize => (Batch - 1) * StrideA + (long)M * K;
    public long BSize => (Batch - 1) * StrideB + (long)K * N;
    public long CSize => (Batch - 1) * StrideC + (long)M * N;
    public double Flops => 2.0 * M * N * K * Batch;

    public void Validate()
    {
        if (M <= 0 || N <= 0 || K <= 0 || Batch <= 0)
        {
            throw new ArgumentException($"GEMM sizes must be positive, got M={M} N={N} K={K} batch={Batch}.");
        }

        if (StrideA < 0 || StrideB < 0 || StrideC < 0 || (Batch > 1 && StrideC < (long)M * N))
        {
            throw new ArgumentException($"GEMM strides must be non-negative and C batches must not overlap (strideC={StrideC}, M*N={M * N}).");
        }
    }
}

/// <summary>
/// 2-D convolution in NCHW layout, PyTorch semantics (cross-correlation, zero padding, no dilation, no groups).
/// input (N,C,H,W), weight (OC,C,KH,KW), output (N,OC,OutH,OutW) with
/// OutH = (H + 2*PadH - KH) / StrideH + 1 and OutW likewise.
/// </summary>
public readonly record struct Conv2dShape(
    int N, int C, int H, int W, int OC, int KH, int KW,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0)
{
    public int OutH => (H + 2 * PadH - KH) / StrideH + 1;
    public int OutW => (W + 2 * PadW - KW) / StrideW + 1;
    public int InputSize => N * C * H * W;
    public int WeightSize => OC * C * KH * KW;
    public int OutputSize => N * OC * OutH * OutW;
    /// <summary>Multiply-adds of the forward pass times two.</summary>
    public double Flops => 2.0 * N * OC * OutH * OutW * C * KH * KW;

    public void Validate()
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || OC <= 0 || KH <= 0 || KW <= 0)
        {
            throw new ArgumentException($"Convolution sizes must be positive: {this}.");
        }

        if (StrideH <= 0 || StrideW <= 0 || PadH < 0 || PadW < 0)
        {
            throw new ArgumentException($"Convolution needs positive strides and non-negative padding: {this}.");
        }

        if (H + 2 * PadH < KH || W + 2 * PadW < KW)
        {
            throw new ArgumentException($"Convolution kernel {KH}x{KW} is larger than the padded input {H + 2 * PadH}x{W + 2 * PadW}.");
        }
    }
}

/// <summary>
/// 2-D pooling window in NCHW layout, PyTorch semantics: input (N,C,H,W), output (N,C,OutH,OutW),
/// OutH = (H + 2*PadH - KH) / StrideH + 1 (floor mode). Padded cells never win a max; average pooling
/// counts them (count_include_pad=True, PyTorch's default).
/// </summary>
public readonly record struct Pool2dShape(
    int N, int C, int H, int W, int KH, int KW, int StrideH, int StrideW, int PadH = 0, int PadW = 0)
{
    public int OutH => (H + 2 * PadH - KH) / StrideH + 1;
    public int OutW => (W + 2 * PadW - KW) / StrideW + 1;
    public int InputSize => N * C * H * W;
    public int OutputSize => N * C * OutH * OutW;

    public void Validate()
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || KH <= 0 || KW <= 0 || StrideH <= 0 || StrideW <= 0)
        {
            throw new ArgumentException($"Pooling sizes and strides must be positive: {this}.");
        }

        if (PadH < 0 || PadW < 0 || 2 * PadH > KH || 2 * PadW > KW)
        {
            throw new ArgumentException($"Pooling padding must be between 0 and half the window: {this}.");
        }

        if (H + 2 * PadH < KH || W + 2 * PadW < KW)
        {
            throw new ArgumentException($"Pooling window {KH}x{KW} is larger than the padded input: {this}.");
        }
    }
}

/// <summary>Element-wise activation applied after a bias add.</summary>
public enum Activation
{
    Identity,
    Relu,
}
