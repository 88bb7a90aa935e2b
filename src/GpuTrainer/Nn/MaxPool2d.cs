using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>Max pooling with a square window (PyTorch's MaxPool2d; stride defaults to the window). x (N,C,H,W) -> y (N,C,OH,OW).</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Pool2d(kernelSize, stride, padding)
{
    public override bool FoldsInputActivation => true;

    public override void Forward(IBackend backend, Tensor x, Tensor y, int batch) =>
        backend.MaxPoolForward(ShapeFor(batch, InputShape), x, y);

    public override void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch)
    {
        if (!dx.IsEmpty)
        {
            backend.MaxPoolActivationBackward(ShapeFor(batch, InputShape), x, dy, dx, InputActivation);
        }
    }
}
