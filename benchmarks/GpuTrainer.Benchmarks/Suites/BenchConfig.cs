using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace GpuTrainer.Benchmarks.Suites;

/// <summary>
/// In-process runs (no generated project to build; the float64 reference takes up to seconds per call, so
/// 3 warm-up and 10 measured iterations), the throughput column, parameter columns wide enough for the
/// case labels, and the ratio to the float64 reference baseline.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
        AddColumn(new ThroughputColumn());
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));
    }
}
