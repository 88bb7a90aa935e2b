using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// Stand-alone ReLU. Conv2d and Linear can fuse it (their <c>activation</c> argument), which saves a
/// pass over memory; LeNet5 uses the fused form.
/// </summary>
public sealed class Relu : Layer
{
    protected override SampleShape ComputeOutputShape(SampleShape input) => input;

    public override void Forward(IBackend backend, Tensor x, Tensor y, int batch) =>
        backend.BiasActivation(x, default, y, batch, InputShape.Size, 1, Activation.Relu);

    public override void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch)
    {
        if (!dx.IsEmpty)
        {
            backend.ActivationBackward(y, dy, dx, batch * InputShape.Size, Activation.Relu);
        }
    }
}
