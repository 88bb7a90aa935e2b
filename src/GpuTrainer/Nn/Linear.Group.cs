using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

public sealed partial class Linear
{
    /// <inheritdoc/>
    public override void ForwardGroup(IBackend backend, GroupTensor x, GroupTensor y, int batch)
    {
        // y_k (N,Out) = x_k (N,In) . W_k^T (In,Out)
        backend.GroupGemm(new GemmShape(batch, OutFeatures, InFeatures, TransB: true), 1f, x, GroupParameters(0, WeightCount), 0f, y);
        backend.GroupBiasActivation(y, GroupParameters(WeightCount, OutFeatures), y, batch, OutFeatures, 1, Activation);
    }

    /// <inheritdoc/>
    public override void BackwardGroup(IBackend backend, GroupTensor x, GroupTensor y, GroupTensor dy, GroupTensor dx, int batch)
    {
        backend.GroupActivationBackward(y, dy, dy, batch * OutFeatures, Activation);
        backend.GroupBiasGradient(dy, GroupGradients(WeightCount, OutFeatures), batch, OutFeatures, 1);
        // dW_k (Out,In) = dy_k^T (Out,N) . x_k (N,In)
        backend.GroupGemm(new GemmShape(OutFeatures, InFeatures, batch, TransA: true), 1f, dy, x, 0f, GroupGradients(0, WeightCount));
        if (!dx.First.IsEmpty)
        {
            // dx_k (N,In) = dy_k (N,Out) . W_k (Out,In)
            backend.GroupGemm(new GemmShape(batch, InFeatures, OutFeatures), 1f, dy, GroupParameters(0, WeightCount), 0f, dx);
        }
    }
}
