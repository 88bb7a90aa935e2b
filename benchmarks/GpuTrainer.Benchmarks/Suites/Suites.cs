using BenchmarkDotNet.Attributes;
using GpuTrainer.Benchmarks.Workloads;

namespace GpuTrainer.Benchmarks.Suites;

// The suites are not sealed: BenchmarkDotNet refuses sealed benchmark classes.

/// <summary>GEMM at LeNet-5's fc1 shapes (batch 128) and square 256, 512, 1024; GFLOP/s.</summary>
public class GemmBenchmarks : WorkloadBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public Workload Case { get; set; } = null!;

    public static IEnumerable<Workload> Cases() => [.. LeNetWorkloads.Gemms(128), .. LeNetWorkloads.SquareGemms(256, 512, 1024)];

    protected override Workload Current => Case;
}

/// <summary>Convolution forward, backward-data and backward-weight at LeNet-5's conv1 and conv2, batch 128; GFLOP/s.</summary>
public class Conv2dBenchmarks : WorkloadBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public Workload Case { get; set; } = null!;

    public static IEnumerable<Workload> Cases() => LeNetWorkloads.Convs(128);

    protected override Workload Current => Case;
}

/// <summary>2x2 max-pooling forward and backward at LeNet-5's pool1 and pool2, batch 128; GB/s.</summary>
public class MaxPoolBenchmarks : WorkloadBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public Workload Case { get; set; } = null!;

    public static IEnumerable<Workload> Cases() => LeNetWorkloads.MaxPools(128);

    protected override Workload Current => Case;
}

/// <summary>Fused SGD (momentum) and Adam steps over LeNet-5's arena and over 10M parameters; GB/s.</summary>
public class OptimizerBenchmarks : WorkloadBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public Workload Case { get; set; } = null!;

    public static IEnumerable<Workload> Cases() => LeNetWorkloads.Optimizers(large: true);

    protected override Workload Current => Case;
}

/// <summary>One whole LeNet-5 training step (forward, loss, backward, Adam) at batch 128; images/s.</summary>
public class LeNetStepBenchmarks : WorkloadBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public Workload Case { get; set; } = null!;

    public static IEnumerable<Workload> Cases() => [new LeNetStepWorkload(128)];

    protected override Workload Current => Case;
}
