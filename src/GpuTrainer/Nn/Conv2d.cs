using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// 2-D convolution with bias and an optional fused activation (PyTorch's Conv2d followed by ReLU).
/// weight (OC,C,K,K) then bias (OC) in the arena; x (N,C,H,W) -> y (N,OC,OH,OW).
/// </summary>
public sealed class Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0,
    Activation activation = Activation.Identity) : Layer
{
    public int InChannels { get; } = inChannels;
    public int OutChannels { get; } = outChannels;
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride;
    public int Padding { get; } = padding;
    public Activation Activation { get; } = activation;

    private int WeightCount => OutChannels * InChannels * KernelSize * KernelSize;

    public override int ParameterCount => WeightCount + OutChannels;

    public override Activation OutputActivation => Activation;

    private Conv2dShape ShapeFor(int batch) => new(
        batch, InChannels, InputShape.H, InputShape.W, OutChannels, KernelSize, KernelSize, Stride, Stride, Padding, Padding);

    protected override SampleShape ComputeOutputShape(SampleShape input)
    {
        if (input.C != InChannels)
        {
            throw new ArgumentException($"Conv2d expects {InChannels} input channels but receives {input}.");
        }

        var shape = new Conv2dShape(1, input.C, input.H, input.W, OutChannels, KernelSize, KernelSize, Stride, Stride, Padding, Padding);
        shape.Validate();
        return new SampleShape(OutChannels, shape.OutH, shape.OutW);
    }

    public override void Initialize(Span<float> parameters, Random random) =>
        FillUniform(parameters, 1 / Math.Sqrt(InChannels * KernelSize * KernelSize), random);

    public override void Forward(IBackend backend, Tensor x, Tensor y, int batch)
    {
        backend.Conv2dForwardBiasActivation(ShapeFor(batch), x, Parameters.Slice(0, WeightCount), Parameters.Slice(WeightCount, OutChannels), y, Activation);
    }

    public override void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch)
    {
        var shape = ShapeFor(batch);
        if (Activation != Activation.Identity && !ActivationFoldedDownstream)
        {
            backend.ActivationBackward(y, dy, dy, shape.OutputSize, Activation);   // in place; the identity's is a no-op
        }

        backend.Conv2dBackwardWeightBias(shape, x, dy, Gradients.Slice(0, WeightCount), Gradients.Slice(WeightCount, OutChannels));
        if (!dx.IsEmpty)
        {
            backend.Conv2dBackwardData(shape, dy, Parameters.Slice(0, WeightCount), dx);
        }
    }
}
