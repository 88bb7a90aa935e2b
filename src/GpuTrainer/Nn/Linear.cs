using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// Fully connected layer y = act(x W^T + b), PyTorch's Linear (optionally followed by ReLU).
/// weight (Out,In) then bias (Out) in the arena; x (N,In) -> y (N,Out). Any input shape is read flat.
/// </summary>
public sealed class Linear(int inFeatures, int outFeatures, Activation activation = Activation.Identity) : Layer
{
    public int InFeatures { get; } = inFeatures;
    public int OutFeatures { get; } = outFeatures;
    public Activation Activation { get; } = activation;

    private int WeightCount => OutFeatures * InFeatures;

    public override int ParameterCount => WeightCount + OutFeatures;

    protected override SampleShape ComputeOutputShape(SampleShape input) => input.Size == InFeatures
        ? SampleShape.Flat(OutFeatures)
        : throw new ArgumentException($"Linear expects {InFeatures} input features but receives {input} = {input.Size}.");

    public override void Initialize(Span<float> parameters, Random random) =>
        FillUniform(parameters, 1 / Math.Sqrt(InFeatures), random);

    public override void Forward(IBackend backend, Tensor x, Tensor y, int batch)
    {
        // y (N,Out) = x (N,In) . W^T (In,Out)
        backend.Gemm(new GemmShape(batch, OutFeatures, InFeatures, TransB: true), 1f, x, Parameters.Slice(0, WeightCount), 0f, y);
        backend.BiasActivation(y, Parameters.Slice(WeightCount, OutFeatures), y, batch, OutFeatures, 1, Activation);
    }

    public override void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch)
    {
        if (Activation != Activation.Identity)
        {
            backend.ActivationBackward(y, dy, dy, batch * OutFeatures, Activation);   // in place; the identity's is a no-op
        }

        backend.BiasGradient(dy, Gradients.Slice(WeightCount, OutFeatures), batch, OutFeatures, 1);
        // dW (Out,In) = dy^T (Out,N) . x (N,In)
        backend.Gemm(new GemmShape(OutFeatures, InFeatures, batch, TransA: true), 1f, dy, x, 0f, Gradients.Slice(0, WeightCount));
        if (!dx.IsEmpty)
        {
            // dx (N,In) = dy (N,Out) . W (Out,In)
            backend.Gemm(new GemmShape(batch, InFeatures, OutFeatures), 1f, dy, Parameters.Slice(0, WeightCount), 0f, dx);
        }
    }
}
