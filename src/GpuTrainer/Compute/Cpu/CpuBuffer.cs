using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// A <see cref="DeviceBuffer"/> of the <see cref="CpuBackend"/>: zero-filled floats in a managed array on the pinned
/// object heap, so operations can hand raw pointers to their SIMD loops without copying. The floats start on a cache
/// line, at an offset within the 4 KiB page that differs from one buffer to the next (<paramref name="index"/> x 7 cache
/// lines): buffers of whole pages (LeNet's activations are) would otherwise all start at the same page offset, and an
/// op that reads element i of one while it writes element i of another stalls on every store (4K aliasing).
/// </summary>
public sealed class CpuBuffer : DeviceBuffer
{
    private const int LineFloats = 16, PageLines = 64;

    private float[]? _data;
    private readonly int _start;

    internal unsafe CpuBuffer(CpuBackend owner, int length, int index)
        : base(owner, length)
    {
        _data = GC.AllocateArray<float>(length + (LineFloats * (PageLines + 1)), pinned: true);
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_data));
        var aligned = (int)((LineFloats - (address / sizeof(float) % LineFloats)) % LineFloats);
        _start = aligned + (LineFloats * (index * 7 % PageLines));
    }

    /// <summary>A reference to element <paramref name="offset"/> (which may equal the length); throws once disposed.</summary>
    internal ref float At(int offset)
    {
        var data = _data ?? throw new ObjectDisposedException(nameof(CpuBuffer));
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), _start + offset);
    }

    protected override void Dispose(bool disposing)
    {
        // A group's queued operations may still read or write this buffer (CpuBackend.Members.cs).
        ((CpuBackend)Owner).Flush();
        _data = null;
    }
}
