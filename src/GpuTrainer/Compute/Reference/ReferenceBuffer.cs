namespace GpuTrainer.Compute.Reference;

/// <summary>
/// A <see cref="DeviceBuffer"/> of the <see cref="ReferenceBackend"/>: a plain managed array of doubles, so that
/// a chain of reference operations never rounds to float32 in between.
/// </summary>
public sealed class ReferenceBuffer : DeviceBuffer
{
    private double[]? _data;

    internal ReferenceBuffer(ReferenceBackend owner, int length)
        : base(owner, length)
    {
        _data = new double[length];
    }

    /// <summary>The elements of <paramref name="view"/>; throws once disposed.</summary>
    internal Span<double> Span(Tensor view) =>
        (_data ?? throw new ObjectDisposedException(nameof(ReferenceBuffer))).AsSpan(view.Offset, view.Length);

    protected override void Dispose(bool disposing) => _data = null;
}
