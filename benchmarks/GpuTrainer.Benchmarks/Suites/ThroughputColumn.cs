using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GpuTrainer.Benchmarks.Workloads;

namespace GpuTrainer.Benchmarks.Suites;

/// <summary>"Throughput": the case's <see cref="Workload.Work"/> divided by the mean time, in GFLOP/s, GB/s or img/s.</summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "Throughput";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => false;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Work of one run / mean time: GFLOP/s (GEMM, convolution), GB/s (pooling, optimizers) or img/s (training step)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var workload = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<Workload>().FirstOrDefault();
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return workload is null || mean is not > 0 ? "-" : workload.Throughput(mean.Value / 1e9);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
