using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;

namespace GpuTrainer.Benchmarks.Suites;

/// <summary>
/// The devices the suites measure: the managed CPU backend plus every CUDA or OpenCL GPU ILGPU finds.
/// ILGPU's CPU accelerator is left out (it simulates GPU threads with OS threads and is orders of magnitude
/// slower); set GPUTRAINER_BENCH_DEVICES, e.g. "cpu,ilgpu-cpu", to choose the list yourself.
/// </summary>
public static class BenchDevices
{
    public const string Variable = "GPUTRAINER_BENCH_DEVICES";

    public static IEnumerable<string> Names()
    {
        var chosen = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            return chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var gpus = IlgpuDevices.List().Select(d => d.Kind).Where(k => k is DeviceKind.Cuda or DeviceKind.OpenCl).Distinct();
        return ["cpu", .. gpus.Select(k => Backends.Names[(int)k])];
    }
}
