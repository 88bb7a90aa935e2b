using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

public sealed partial class Relu
{
    /// <inheritdoc/>
    public override void ForwardGroup(IBackend backend, GroupTensor x, GroupTensor y, int batch) =>
        backend.GroupBiasActivation(x, new GroupTensor(default, 0, x.Models), y, batch, InputShape.Size, 1, Activation.Relu);

    /// <inheritdoc/>
    public override void BackwardGroup(IBackend backend, GroupTensor x, GroupTensor y, GroupTensor dy, GroupTensor dx, int batch)
    {
        if (!dx.First.IsEmpty)
        {
            backend.GroupActivationBackward(y, dy, dx, batch * InputShape.Size, Activation.Relu);
        }
    }
}
