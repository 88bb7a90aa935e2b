using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Reference;

/// <summary>A <see cref="DeviceBuffer"/> of the <see cref="ScalarBackend"/>: a plain managed float array.</summary>
public sealed class ScalarBuffer : DeviceBuffer
{
    private float[]? _data;

    internal ScalarBuffer(ScalarBackend owner, int length)
        : base(owner, length)
    {
        _data = new float[length];
    }

    /// <summary>The elements of <paramref name="view"/>; throws once disposed.</summary>
    internal Span<float> Span(Tensor view) =>
        (_data ?? throw new ObjectDisposedException(nameof(ScalarBuffer))).AsSpan(view.Offset, view.Length);

    protected override void Dispose(bool disposing) => _data = null;
}
