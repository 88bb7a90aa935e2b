using GpuTrainer.Compute.Ilgpu;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer devices`: what ILGPU sees, plus the managed CPU backend.</summary>
public static class DevicesCommand
{
    public static int Execute(TextWriter output)
    {
        output.WriteLine($"{"device",-10} {"name",-44} {"memory",10} {"compute",8} {"warp",5} {"max group",9}");
        foreach (var d in IlgpuDevices.List())
        {
            // The CPU accelerator reports 2^63 bytes (no real limit): show a dash, as for the managed backend.
            var memory = d.MemoryBytes > 0 && d.Kind != Compute.DeviceKind.IlgpuCpu ? $"{d.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB" : "-";
            output.WriteLine($"{Label(d.Kind),-10} {d.Name,-44} {memory,10} {d.ComputeCapability ?? "-",8} {d.WarpSize,5} {d.MaxGroupSize,9}");
        }

        output.WriteLine($"{"cpu",-10} {$"managed SIMD backend, {Environment.ProcessorCount} threads",-44} {"-",10} {"-",8} {"-",5} {"-",9}");
        return ExitCodes.Ok;
    }

    private static string Label(Compute.DeviceKind kind) => kind switch
    {
        Compute.DeviceKind.Cuda => "cuda",
        Compute.DeviceKind.OpenCl => "opencl",
        _ => "ilgpu-cpu",
    };
}
