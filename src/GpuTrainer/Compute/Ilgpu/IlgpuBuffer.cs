using ILGPU;
using ILGPU.Runtime;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>A block of float32 accelerator memory allocated by an <see cref="IlgpuBackend"/>.</summary>
public sealed class IlgpuBuffer : DeviceBuffer
{
    internal IlgpuBuffer(IlgpuBackend owner, MemoryBuffer1D<float, Stride1D.Dense> memory)
        : base(owner, (int)memory.Length)
    {
        Memory = memory;
    }

    internal MemoryBuffer1D<float, Stride1D.Dense> Memory { get; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Memory.Dispose();
        }
    }
}
