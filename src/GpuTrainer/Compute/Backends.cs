using GpuTrainer.Compute.Cpu;
using GpuTrainer.Compute.Ilgpu;

namespace GpuTrainer.Compute;

/// <summary>Device selection: turns a <see cref="DeviceKind"/> (or its command-line name) into a backend.</summary>
public static class Backends
{
    /// <summary>The names <c>--device</c> accepts, in <see cref="DeviceKind"/> order.</summary>
    public static readonly IReadOnlyList<string> Names = ["auto", "cuda", "opencl", "cpu", "ilgpu-cpu"];

    /// <summary>The device a request uses unless told otherwise, by name.</summary>
    public const string DefaultDeviceName = "auto";

    /// <summary>The managed CPU backend's default thread count: 0, every core.</summary>
    public const int DefaultThreads = 0;

    /// <summary>The device a request uses unless told otherwise.</summary>
    public static DeviceKind DefaultDevice => Parse(DefaultDeviceName);

    /// <summary>Parses a device name; throws <see cref="ArgumentException"/> naming the accepted values.</summary>
    public static DeviceKind Parse(string name)
    {
        var index = Names.ToList().IndexOf(name.Trim().ToLowerInvariant());
        return index >= 0
            ? (DeviceKind)index
            : throw new ArgumentException($"Unknown device '{name}'; use one of {string.Join(", ", Names)}.");
    }

    /// <summary>
    /// Creates the backend for <paramref name="kind"/>. Auto takes CUDA, then an OpenCL GPU, then the managed
    /// CPU backend. An explicit GPU kind that is absent throws <see cref="DeviceNotFoundException"/>.
    /// </summary>
    /// <param name="kind">The device to use.</param>
    /// <param name="threads">Threads for the managed CPU backend; 0 means every core.</param>
    public static IBackend Create(DeviceKind kind, int threads = 0)
    {
        if (threads < 0)
        {
            throw new ArgumentException($"The number of CPU threads must be 0 (every core) or more, got {threads}.");
        }

        var cpuThreads = threads == 0 ? Environment.ProcessorCount : threads;
        switch (kind)
        {
            case DeviceKind.Cpu:
                return new CpuBackend(cpuThreads);
            case DeviceKind.Auto:
                foreach (var gpu in new[] { DeviceKind.Cuda, DeviceKind.OpenCl })
                {
                    try
                    {
                        return IlgpuBackend.Create(gpu);
                    }
                    catch (DeviceNotFoundException)
                    {
                        // try the next kind
                    }
                }

                return new CpuBackend(cpuThreads);
            default:
                return IlgpuBackend.Create(kind);
        }
    }

    /// <summary>
    /// The memory <paramref name="backend"/> can hold: the device's for an ILGPU accelerator, the memory the runtime reports
    /// available for the managed backend (whose buffers are host arrays).
    /// </summary>
    public static long MemoryBytes(IBackend backend) => backend switch
    {
        IlgpuBackend ilgpu when ilgpu.Accelerator.AcceleratorType != ILGPU.Runtime.AcceleratorType.CPU => ilgpu.Accelerator.MemorySize,
        _ => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
    };
}
