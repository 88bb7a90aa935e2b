namespace GpuTrainer.Compute;

/// <summary>
/// A block of float32 memory owned by one backend (GPU memory for ILGPU, a managed array for the
/// CPU backend). Contents start zeroed. Layers never touch it directly: they pass <see cref="Tensor"/>
/// views of it to <see cref="IBackend"/> operations.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    protected DeviceBuffer(IBackend owner, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Owner = owner;
        Length = length;
    }

    /// <summary>The backend that allocated this buffer; only it may operate on it.</summary>
    public IBackend Owner { get; }

    /// <summary>Number of float32 elements.</summary>
    public int Length { get; }

    /// <summary>A view of the whole buffer.</summary>
    public Tensor All => new(this, 0, Length);

    /// <summary>A view of <paramref name="length"/> elements starting at <paramref name="offset"/>.</summary>
    public Tensor Slice(int offset, int length) => All.Slice(offset, length);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
