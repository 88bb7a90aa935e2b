using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

public sealed partial class Conv2d
{
    /// <inheritdoc/>
    public override void ForwardGroup(IBackend backend, GroupTensor x, GroupTensor y, int batch)
    {
        // The first layer's x is the shared batch: one convolution with K*OC filters over it.
        var shape = ShapeFor(batch);
        backend.GroupConv2dForward(shape, x, GroupParameters(0, WeightCount), y);
        backend.GroupBiasActivation(y, GroupParameters(WeightCount, OutChannels), y, batch, OutChannels, shape.OutH * shape.OutW, Activation);
    }

    /// <inheritdoc/>
    public override void BackwardGroup(IBackend backend, GroupTensor x, GroupTensor y, GroupTensor dy, GroupTensor dx, int batch)
    {
        var shape = ShapeFor(batch);
        backend.GroupActivationBackward(y, dy, dy, shape.OutputSize, Activation);
        backend.GroupBiasGradient(dy, GroupGradients(WeightCount, OutChannels), batch, OutChannels, shape.OutH * shape.OutW);
        backend.GroupConv2dBackwardWeight(shape, x, dy, GroupGradients(0, WeightCount));
        if (!dx.First.IsEmpty)
        {
            backend.GroupConv2dBackwardData(shape, dy, GroupParameters(0, WeightCount), dx);
        }
    }
}
