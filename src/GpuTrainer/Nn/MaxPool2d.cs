using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>Max pooling with a square window (PyTorch's MaxPool2d; stride defaults to the window). x (N,C,H,W) -> y (N,C,OH,OW).</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Layer
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
