using System.Globalization;
using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>What one run of a workload is counted in: floating-point operations, bytes moved or images trained.</summary>
public enum WorkUnit
{
    Flops,
    Bytes,
    Images,
}

/// <summary>
/// One operation at one size, runnable on any <see cref="IBackend"/>: the BenchmarkDotNet suites and the
/// throughput guard both time <see cref="Prepare"/>d runs of these, so each op is defined once.
/// <see cref="Work"/> is what one run does, so throughput = Work / seconds per run.
/// </summary>
public abstract class Workload
{
    protected Workload(string key, string label, double work, WorkUnit unit)
    {
        Key = key;
        Label = label;
        Work = work;
        Unit = unit;
    }

    /// <summary>Stable identifier, the guard's baseline key, e.g. "gemm-128x120x400-tb".</summary>
    public string Key { get; }

    /// <summary>Human-readable size, shown in BenchmarkDotNet's parameter column.</summary>
    public string Label { get; }

    /// <summary>Floating-point operations, bytes or images of one run.</summary>
    public double Work { get; }

    public WorkUnit Unit { get; }

    /// <summary>Allocates random operands on <paramref name="backend"/> (and compiles nothing further) and returns the runnable op.</summary>
    public abstract PreparedRun Prepare(IBackend backend);

    /// <summary>Work / seconds in the unit's natural scale, e.g. "12.3 GFLOP/s".</summary>
    public string Throughput(double secondsPerRun) => Unit switch
    {
        WorkUnit.Flops => string.Create(CultureInfo.InvariantCulture, $"{Work / secondsPerRun / 1e9:F2} GFLOP/s"),
        WorkUnit.Bytes => string.Create(CultureInfo.InvariantCulture, $"{Work / secondsPerRun / 1e9:F2} GB/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Work / secondsPerRun:N0} img/s"),
    };

    public override string ToString() => Label;
}
