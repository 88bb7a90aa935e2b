using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>(N,C,H,W) -> (N,C*H*W). NCHW is already row-major, so the output is the input's memory: no copy.</summary>
public sealed class Flatten : Layer
{
    public override bool AliasesInput => true;

    protected override SampleShape ComputeOutputShape(SampleShape input) => SampleShape.Flat(input.Size);

    public override void Forward(IBackend backend, Tensor x, Tensor y, int batch)
    {
    }

    public override void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch)
    {
    }
}
