using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// A <see cref="DeviceBuffer"/> of the <see cref="CpuBackend"/>: zero-filled floats in a managed array on the pinned
/// object heap, so operations can hand raw pointers to their SIMD loops without copying. The floats start on a cache
/// line, at the page offset <paramref name="index"/> x 7 cache lines (mod 64): wherever the array itself lies, so buffers
/// of whole pages (LeNet's activations are) start at page offsets that differ from one buffer to the next. At the same
/// offset, an op that reads element i of one while it writes element i of another stalls on every store (4K aliasing);
/// at an offset left to where the heap put each array, that happened in some processes and not in others (the guard's
/// max-pools ran at 37 or 57 GB/s from one process to the next).
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
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_data)) / sizeof(float);
        var aligned = (int)((LineFloats - (address % LineFloats)) % LineFloats);
        var line = (int)((address + (nuint)aligned) / LineFloats % PageLines);
        _start = aligned + (LineFloats * (((index * 7 % PageLines) - line + PageLines) % PageLines));
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
