namespace GpuTrainer.Compute;

/// <summary>The devices a user can ask for with <c>--device</c>.</summary>
public enum DeviceKind
{
    /// <summary>CUDA, then an OpenCL GPU, then the managed CPU backend.</summary>
    Auto,
    /// <summary>Our ILGPU kernels on an NVIDIA GPU.</summary>
    Cuda,
    /// <summary>Our ILGPU kernels on an OpenCL GPU.</summary>
    OpenCl,
    /// <summary>The managed SIMD + threads backend.</summary>
    Cpu,
    /// <summary>Our ILGPU kernels on ILGPU's CPU accelerator (slow; for testing kernels anywhere).</summary>
    IlgpuCpu,
}
