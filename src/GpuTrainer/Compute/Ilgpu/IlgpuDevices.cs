using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>One accelerator as ILGPU sees it.</summary>
/// <param name="Kind">Cuda, OpenCl or IlgpuCpu.</param>
/// <param name="Name">The device's name, e.g. "NVIDIA H200".</param>
/// <param name="MemoryBytes">Device memory in bytes.</param>
/// <param name="ComputeCapability">CUDA compute capability such as "9.0"; null for other devices.</param>
/// <param name="WarpSize">Threads per warp.</param>
/// <param name="MaxGroupSize">Most threads one group may hold.</param>
public sealed record IlgpuDeviceInfo(DeviceKind Kind, string Name, long MemoryBytes, string? ComputeCapability, int WarpSize, int MaxGroupSize);

/// <summary>Discovery of the accelerators ILGPU can drive: CUDA, OpenCL and its CPU accelerator.</summary>
public static class IlgpuDevices
{
    // The CPU accelerator simulates every GPU thread with an OS thread: size its groups to the
    // largest group our kernels launch (256 = 32 x 8, see GemmKernels.Tile and ReductionKernels.GroupSize)
    // and keep the multiprocessor count small.
    private const int CpuWarp = 32, CpuWarpsPerGroup = 8;

    /// <summary>Every accelerator ILGPU sees, CPU accelerator included.</summary>
    public static IReadOnlyList<IlgpuDeviceInfo> List()
    {
        using var context = CreateContext();
        return [.. context.Devices.Select(Info)];
    }

    /// <summary>
    /// A context over CUDA, OpenCL and our sized CPU device, with ILGPU.Algorithms' math intrinsics
    /// (PTX has no native logarithm without them), compiling GPU kernels at O2; the caller disposes it.
    /// </summary>
    internal static Context CreateContext()
    {
        NativeLibraryFallback.Register();
        var cpu = new CPUDevice(CpuWarp, CpuWarpsPerGroup, numMultiprocessors: Math.Clamp(Environment.ProcessorCount / 2, 1, 4));
        return Context.Create(builder => builder.Cuda().OpenCL().CPU(cpu).EnableAlgorithms().Optimize(OptimizationLevel.O2));
    }

    /// <summary>The first device of the requested kind (OpenCL: GPUs only), or null.</summary>
    internal static Device? Find(Context context, DeviceKind kind) => context.Devices.FirstOrDefault(device => kind switch
    {
        DeviceKind.Cuda => device is CudaDevice,
        DeviceKind.OpenCl => device is CLDevice { DeviceType: CLDeviceType.CL_DEVICE_TYPE_GPU },
        DeviceKind.IlgpuCpu => device is CPUDevice,
        _ => false,
    });

    /// <summary>"CUDA", "OpenCL GPU" or "ILGPU CPU" for messages.</summary>
    internal static string Describe(DeviceKind kind) => kind switch
    {
        DeviceKind.Cuda => "CUDA",
        DeviceKind.OpenCl => "OpenCL GPU",
        _ => "ILGPU CPU",
    };

    /// <summary>"CUDA NVIDIA H200", "OpenCL gfx1100" or "CPU accelerator" for messages.</summary>
    internal static string Label(Device device) => device switch
    {
        CudaDevice => $"CUDA {device.Name}",
        CLDevice => $"OpenCL {device.Name}",
        _ => "CPU accelerator",
    };

    private static IlgpuDeviceInfo Info(Device device) => new(
        device switch
        {
            CudaDevice => DeviceKind.Cuda,
            CLDevice => DeviceKind.OpenCl,
            _ => DeviceKind.IlgpuCpu,
        },
        device.Name,
        device.MemorySize,
        device is CudaDevice cuda ? $"{cuda.Architecture?.Major}.{cuda.Architecture?.Minor}" : null,
        device.WarpSize,
        device.MaxNumThreadsPerGroup);
}
