using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>Whether ILGPU sees a CUDA device here, asked once per test run.</summary>
internal static class CudaPresence
{
    private static readonly Lazy<bool> _present = new(() => IlgpuDevices.List().Any(d => d.Kind == DeviceKind.Cuda));

    public static bool Present => _present.Value;
}

/// <summary>A theory that runs only where a CUDA device exists and is skipped (not failed) elsewhere.</summary>
public sealed class CudaTheoryAttribute : TheoryAttribute
{
    public CudaTheoryAttribute()
    {
        if (!CudaPresence.Present)
        {
            Skip = "No CUDA device on this machine.";
        }
    }
}

/// <summary>A fact about behaviour without CUDA, skipped where a CUDA device exists.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (CudaPresence.Present)
        {
            Skip = "This machine has a CUDA device.";
        }
    }
}
