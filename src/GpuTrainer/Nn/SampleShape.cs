namespace GpuTrainer.Nn;

/// <summary>The shape of one sample (C,H,W); a flat vector of F features is (F,1,1).</summary>
public readonly record struct SampleShape(int C, int H, int W)
{
    public int Size => C * H * W;

    public static SampleShape Flat(int features) => new(features, 1, 1);

    public override string ToString() => $"({C},{H},{W})";
}
