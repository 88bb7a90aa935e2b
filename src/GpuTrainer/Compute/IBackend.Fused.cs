namespace GpuTrainer.Compute;

/// <summary>
/// The fused operations of a training step: each is exactly the composition of unfused operations written in
/// <see cref="MemberLoopBackend"/>'s per-member defaults, which is what the managed and the reference backends run (so
/// managed runs stay bit for bit what the unfused ops give). The ILGPU backend runs each as one launch for every member
/// (two for a split-K backward-weight):
/// the bias, the activation, the previous layer's activation backward and the bias gradient ride in the GEMM and
/// convolution epilogues (kernels/GpuTrainer.Kernels/GemmEpilogues.cs) or in the pool backward. Compute/OPS.md lists them.
/// "inputActivation" names the activation whose output is the op's input x: its backward is applied to dx.
/// </summary>
public partial interface IBackend
{
    /// <summary>output (N,OC,OH,OW) = act(conv(input (N,C,H,W), weight (OC,C,KH,KW)) + bias[oc]); bias (OC).</summary>
    void Conv2dForwardBiasActivation(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation);

    /// <summary>dWeight (OC,C,KH,KW) = gradient w.r.t. the weight and dBias (OC) = dOutput summed per channel, both over the batch.</summary>
    void Conv2dBackwardWeightBias(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias);

    /// <summary>y (batch, outFeatures) = act(x (batch, inFeatures) W^T + bias); weight (outFeatures, inFeatures), bias (outFeatures).</summary>
    void LinearForward(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation);

    /// <summary>
    /// A linear layer's backward: dWeight (out, in) = dy^T x, dBias (out) = dy summed over the batch and, unless dx is
    /// empty, dx (batch, in) = (dy W) * act'(x) for <paramref name="inputActivation"/> (x is that activation's output).
    /// </summary>
    void LinearBackward(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation);

    /// <summary>
    /// dInput (N,C,H,W) = <see cref="MaxPoolBackward"/>'s result times act'(input) for <paramref name="inputActivation"/>
    /// (input is that activation's output).
    /// </summary>
    void MaxPoolActivationBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation);
}
