using GpuTrainer.Benchmarks.Workloads;

namespace GpuTrainer.Benchmarks.Guard;

/// <summary>The kernels the throughput guard watches: every LeNet-5 op at batch 128 and a square GEMM; tiny sizes for --smoke.</summary>
internal static class GuardKernels
{
    public static IReadOnlyList<Workload> All(bool tiny)
    {
        var n = tiny ? 2 : 128;
        return
        [
            .. LeNetWorkloads.Gemms(n),
            .. LeNetWorkloads.SquareGemms(tiny ? 16 : 256),
            .. LeNetWorkloads.Convs(n),
            .. LeNetWorkloads.MaxPools(n),
            .. LeNetWorkloads.Optimizers(large: false),
            new LeNetStepWorkload(n),
        ];
    }
}
