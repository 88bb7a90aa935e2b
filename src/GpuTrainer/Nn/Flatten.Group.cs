using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

public sealed partial class Flatten
{
    /// <inheritdoc/>
    public override void ForwardGroup(IBackend backend, GroupTensor x, GroupTensor y, int batch)
    {
    }

    /// <inheritdoc/>
    public override void BackwardGroup(IBackend backend, GroupTensor x, GroupTensor y, GroupTensor dy, GroupTensor dx, int batch)
    {
    }
}
