using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// What max and average pooling share: a square window, its stride (the window by default) and padding, and the shape
/// they make. x (N,C,H,W) -> y (N,C,OH,OW).
/// </summary>
public abstract class Pool2d(int kernelSize, int? stride, int padding) : Layer
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;

    /// <summary>The window over <paramref name="batch"/> samples of <paramref name="input"/>.</summary>
    protected Pool2dShape ShapeFor(int batch, SampleShape input) =>
        new(batch, input.C, input.H, input.W, KernelSize, KernelSize, Stride, Stride, Padding, Padding);

    protected override SampleShape ComputeOutputShape(SampleShape input)
    {
        var shape = ShapeFor(1, input);
        shape.Validate();
        return new SampleShape(input.C, shape.OutH, shape.OutW);
    }
}
