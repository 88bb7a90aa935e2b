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

    public override Activation OutputActivation => Activation;

    public override bool FoldsInputActivation => true;

    protected override SampleShape ComputeOutputShape(SampleShape input) => input.Size == InFeatures
        ? SampleShape.Flat(OutFeatures)
        : throw new ArgumentException($"Linear expects {InFeatures} input features but receives {input} = {input.Size}.");

    public override void Initialize(Span<float> parameters, Random random) =>
        FillUniform(parameters, 1 / Math.Sqrt(InFeatures), random);

    public override void Forward(IBackend backend, Tensor x, Tensor y, int batch) =>
        backend.LinearForward(batch, InFeatures, OutFeatures, x, Parameters.Slice(0, WeightCount), Parameters.Slice(WeightCount, OutFeatures), y, Activation);

    public override void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch)
    {
        if (Activation != Activation.Identity && !ActivationFoldedDownstream)
        {
            backend.ActivationBackward(y, dy, dy, batch * OutFeatures, Activation);   // in place; the identity's is a no-op
        }

        // dW (Out,In) = dy^T x, db = dy summed over the batch, dx (N,In) = (dy W) * act'(x) for the activation x came out of.
        backend.LinearBackward(
            batch, InFeatures, OutFeatures, x, Parameters.Slice(0, WeightCount), dy, Gradients.Slice(0, WeightCount), Gradients.Slice(WeightCount, OutFeatures),
            dx, InputActivation);
    }
}
