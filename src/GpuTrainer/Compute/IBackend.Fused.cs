namespace GpuTrainer.Compute;

/// <summary>
/// The fused operations of a training step: each is exactly the composition of unfused operations written in its
/// default body, and that body is what the managed and the reference backends run (so managed runs stay bit for bit
/// what the unfused ops give). The ILGPU backend overrides each with one launch (two for a split-K backward-weight):
/// the bias, the activation, the previous layer's activation backward and the bias gradient ride in the GEMM and
/// convolution epilogues (kernels/GpuTrainer.Kernels/GemmEpilogues.cs) or in the pool backward. Compute/OPS.md lists them.
/// "inputActivation" names the activation whose output is the op's input x: its backward is applied to dx.
/// </summary>
public partial interface IBackend
{
    /// <summary>output (N,OC,OH,OW) = act(conv(input (N,C,H,W), weight (OC,C,KH,KW)) + bias[oc]); bias (OC).</summary>
    void Conv2dForwardBiasActivation(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation)
    {
        Conv2dForward(shape, input, weight, output);
        BiasActivation(output, bias, output, shape.N, shape.OC, shape.OutH * shape.OutW, activation);
    }

    /// <summary>dWeight (OC,C,KH,KW) = gradient w.r.t. the weight and dBias (OC) = dOutput summed per channel, both over the batch.</summary>
    void Conv2dBackwardWeightBias(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias)
    {
        BiasGradient(dOutput, dBias, shape.N, shape.OC, shape.OutH * shape.OutW);
        Conv2dBackwardWeight(shape, input, dOutput, dWeight);
    }

    /// <summary>y (batch, outFeatures) = act(x (batch, inFeatures) W^T + bias); weight (outFeatures, inFeatures), bias (outFeatures).</summary>
    void LinearForward(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation)
    {
        Gemm(new GemmShape(batch, outFeatures, inFeatures, TransB: true), 1f, x, weight, 0f, y);
        BiasActivation(y, bias, y, batch, outFeatures, 1, activation);
    }

    /// <summary>
    /// A linear layer's backward: dWeight (out, in) = dy^T x, dBias (out) = dy summed over the batch and, unless dx is
    /// empty, dx (batch, in) = (dy W) * act'(x) for <paramref name="inputActivation"/> (x is that activation's output).
    /// </summary>
    void LinearBackward(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation)
    {
        BiasGradient(dy, dBias, batch, outFeatures, 1);
        Gemm(new GemmShape(outFeatures, inFeatures, batch, TransA: true), 1f, dy, x, 0f, dWeight);
        if (!dx.IsEmpty)
        {
            Gemm(new GemmShape(batch, inFeatures, outFeatures), 1f, dy, weight, 0f, dx);
            if (inputActivation != Activation.Identity)
            {
                ActivationBackward(x, dx, dx, batch * inFeatures, inputActivation);
            }
        }
    }

    /// <summary>
    /// dInput (N,C,H,W) = <see cref="MaxPoolBackward"/>'s result times act'(input) for <paramref name="inputActivation"/>
    /// (input is that activation's output).
    /// </summary>
    void MaxPoolActivationBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation)
    {
        MaxPoolBackward(shape, input, dOutput, dInput);
        if (inputActivation != Activation.Identity)
        {
            ActivationBackward(input, dInput, dInput, shape.InputSize, inputActivation);
        }
    }
}
