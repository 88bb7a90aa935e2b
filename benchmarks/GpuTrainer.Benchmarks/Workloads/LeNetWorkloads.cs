using GpuTrainer.Compute;
using GpuTrainer.Nn;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>The operations LeNet-5 runs, at the shapes it runs them for a batch of <c>n</c> images; shared by the suites and the guard.</summary>
public static class LeNetWorkloads
{
    /// <summary>conv1: input (N,1,28,28), weight (6,1,5,5), padding 2 -> (N,6,28,28).</summary>
    public static Conv2dShape Conv1(int n) => new(n, 1, 28, 28, 6, 5, 5, PadH: 2, PadW: 2);

    /// <summary>conv2: input (N,6,14,14), weight (16,6,5,5) -> (N,16,10,10).</summary>
    public static Conv2dShape Conv2(int n) => new(n, 6, 14, 14, 16, 5, 5);

    /// <summary>fc1 (400 -> 120): forward y = x W^T, weight gradient dW = dy^T x, data gradient dx = dy W.</summary>
    public static IEnumerable<Workload> Gemms(int n) =>
    [
        new GemmWorkload(new GemmShape(n, 120, 400, TransB: true)),
        new GemmWorkload(new GemmShape(120, 400, n, TransA: true)),
        new GemmWorkload(new GemmShape(n, 400, 120)),
    ];

    /// <summary>Square (size, size, size) GEMMs.</summary>
    public static IEnumerable<Workload> SquareGemms(params int[] sizes) => sizes.Select(s => new GemmWorkload(new GemmShape(s, s, s)));

    /// <summary>All three passes of both convolutions.</summary>
    public static IEnumerable<Workload> Convs(int n) =>
        from layer in new[] { ("conv1", Conv1(n)), ("conv2", Conv2(n)) }
        from pass in Enum.GetValues<ConvPass>()
        select new ConvWorkload(layer.Item1, layer.Item2, pass);

    /// <summary>Both 2x2 stride-2 max-pools, forward and backward: pool1 on (N,6,28,28), pool2 on (N,16,10,10).</summary>
    public static IEnumerable<Workload> MaxPools(int n) =>
        from layer in new[] { ("pool1", new Pool2dShape(n, 6, 28, 28, 2, 2, 2, 2)), ("pool2", new Pool2dShape(n, 16, 10, 10, 2, 2, 2, 2)) }
        from backward in new[] { false, true }
        select new MaxPoolWorkload(layer.Item1, layer.Item2, backward);

    /// <summary>SGD with momentum and Adam over LeNet-5's 61,706-parameter arena and, when <paramref name="large"/>, over 10M parameters.</summary>
    public static IEnumerable<Workload> Optimizers(bool large) =>
        from arena in large ? new[] { ("lenet", LeNet5.ParameterCount), ("10m", 10_000_000) } : [("lenet", LeNet5.ParameterCount)]
        from adam in new[] { false, true }
        select new OptimizerWorkload(arena.Item1, arena.Item2, adam);
}
