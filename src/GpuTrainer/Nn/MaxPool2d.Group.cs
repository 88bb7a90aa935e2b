using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

public sealed partial class MaxPool2d
{
    /// <inheritdoc/>
    public override void ForwardGroup(IBackend backend, GroupTensor x, GroupTensor y, int batch) =>
        backend.GroupMaxPoolForward(ShapeFor(batch, InputShape), x, y);

    /// <inheritdoc/>
    public override void BackwardGroup(IBackend backend, GroupTensor x, GroupTensor y, GroupTensor dy, GroupTensor dx, int batch)
    {
        if (!dx.First.IsEmpty)
        {
            backend.GroupMaxPoolBackward(ShapeFor(batch, InputShape), x, dy, dx);
        }
    }
}
