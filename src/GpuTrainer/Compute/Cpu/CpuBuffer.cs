using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// A <see cref="DeviceBuffer"/> of the <see cref="CpuBackend"/>: a zero-filled managed float array on the
/// pinned object heap, so operations can hand raw pointers to their SIMD loops without copying.
/// </summary>
public sealed class CpuBuffer : DeviceBuffer
{
    private float[]? _data;

    internal CpuBuffer(CpuBackend owner, int length)
        : base(owner, length)
    {
        _data = GC.AllocateArray<float>(length, pinned: true);
    }

    /// <summary>A reference to element <paramref name="offset"/> (which may equal the length); throws once disposed.</summary>
    internal ref float At(int offset)
    {
        var data = _data ?? throw new ObjectDisposedException(nameof(CpuBuffer));
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), offset);
    }

    protected override void Dispose(bool disposing) => _data = null;
}
