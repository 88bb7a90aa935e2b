using BenchmarkDotNet.Attributes;
using GpuTrainer.Benchmarks.Workloads;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Reference;

namespace GpuTrainer.Benchmarks.Suites;

/// <summary>
/// A suite of <see cref="Workload"/>s: each case runs on the float64 <see cref="ReferenceBackend"/> (the baseline) and on the
/// backend named by <see cref="Device"/>. Allocation, random operands and kernel compilation happen in
/// <see cref="Setup"/>; a benchmark invocation is one run plus a device synchronise.
/// </summary>
[Config(typeof(BenchConfig))]
public abstract class WorkloadBenchmarks
{
    private ReferenceBackend? _referenceBackend;
    private IBackend? _backend;
    private PreparedRun? _reference;
    private PreparedRun? _optimised;

    /// <summary>"cpu" (managed backend, every core), "cuda" or "opencl"; see <see cref="BenchDevices"/>.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    public static IEnumerable<string> Devices() => BenchDevices.Names();

    /// <summary>The case being measured, set by the derived suite's parameter.</summary>
    protected abstract Workload Current { get; }

    [GlobalSetup]
    public void Setup()
    {
        _referenceBackend = new ReferenceBackend();
        _backend = Backends.Create(Backends.Parse(Device));
        _reference = Current.Prepare(_referenceBackend);
        _optimised = Current.Prepare(_backend);
        _optimised.Run();
    }

    /// <summary>The plain float64 reference implementation of the same op, one thread.</summary>
    [Benchmark(Baseline = true)]
    public void Reference() => _reference!.Run();

    /// <summary>The backend's kernel (managed SIMD + threads, or ILGPU on a GPU).</summary>
    [Benchmark]
    public void Backend() => _optimised!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _reference?.Dispose();
        _optimised?.Dispose();
        _backend?.Dispose();
        _referenceBackend?.Dispose();
    }
}
