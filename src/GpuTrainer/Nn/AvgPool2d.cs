using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// Average pooling with a square window (PyTorch's AvgPool2d, count_include_pad=True; stride defaults to the window).
/// x (N,C,H,W) -> y (N,C,OH,OW). Its backward spreads dy evenly over each window and cannot fold an activation's
/// backward, so a ReLU fused into the layer before it applies its own.
/// </summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Pool2d(kernelSize, stride, padding)
{
    public override void Forward(IBackend backend, Tensor x, Tensor y, int batch) =>
        backend.AvgPoolForward(ShapeFor(batch, InputShape), x, y);

    public override void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch)
    {
        if (!dx.IsEmpty)
        {
            backend.AvgPoolBackward(ShapeFor(batch, InputShape), dy, dx);
        }
    }
}
