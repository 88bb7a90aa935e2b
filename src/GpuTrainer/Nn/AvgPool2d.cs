using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// Average pooling with a square window (PyTorch's AvgPool2d, count_include_pad=True; stride defaults to the window).
/// x (N,C,H,W) -> y (N,C,OH,OW). Its backward spreads dy evenly over each window and cannot fold an activation's
/// backward, so a ReLU fused into the layer before it applies its own.
/// </summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Layer
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;

    private Pool2dShape ShapeFor(int batch, SampleShape input) =>
        new(batch, input.C, input.H, input.W, KernelSize, KernelSize, Stride, Stride, Padding, Padding);

    protected override SampleShape ComputeOutputShape(SampleShape input)
    {
        var shape = ShapeFor(1, input);
        shape.Validate();
        return new SampleShape(input.C, shape.OutH, shape.OutW);
    }

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
