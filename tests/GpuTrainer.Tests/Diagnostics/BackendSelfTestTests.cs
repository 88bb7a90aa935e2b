using GpuTrainer.Compute.Cpu;
using GpuTrainer.Diagnostics;
using Xunit;

namespace GpuTrainer.Tests.Diagnostics;

/// <summary>The self-test passes a correct backend, names the broken operation of a broken one, and compares NaN strictly.</summary>
public sealed class BackendSelfTestTests
{
    // Every IBackend operation except the host transfers and Synchronize, which every check uses.
    private static readonly string[] Operations =
    [
        "gemm NN", "gemm NT", "gemm TN", "gemm TT", "conv2d forward", "conv2d backward-data", "conv2d backward-weight",
        "max-pool forward", "max-pool backward", "avg-pool forward", "avg-pool backward", "bias + relu", "bias + identity",
        "bias (none) + relu", "relu backward", "bias gradient", "softmax-cross-entropy", "sgd nesterov + weight decay",
        "sgd plain", "adam + weight decay", "adamw", "copy + fill", "conv2d forward + bias + relu", "conv2d backward-weight + bias",
        "max-pool + relu backward", "linear forward + bias + relu", "linear backward + relu backward",
    ];

    [Fact]
    public void Cpu_backend_passes_every_check_and_every_operation_is_covered()
    {
        using var device = new CpuBackend(threads: 2);
        var seen = new List<KernelCheck>();

        var results = new BackendSelfTest(device).Run(CheckSize.Small, seen.Add);

        Assert.Equal(results, seen);
        Assert.All(results, r => Assert.True(r.Passed, r.ToString()));
        Assert.Equal(Operations.Order(), results.Select(r => r.Name).Distinct().Order());
    }

    [Fact]
    public void A_perturbed_operation_fails_and_only_it()
    {
        using var device = new PerturbedBackend();

        var results = new BackendSelfTest(device).Run(CheckSize.Small);

        // The fused ops that compute a bias gradient are the inner backend's own (not the perturbed one), so they pass.
        var failed = results.Where(r => !r.Passed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, r => Assert.Equal("bias gradient", r.Name));
        Assert.All(failed, r => Assert.InRange(r.MaxAbs, 0.99, 1.01));
        Assert.EndsWith("FAIL", failed[0].ToString());
    }

    [Fact]
    public void Comparison_applies_atol_plus_rtol_and_compares_nan_and_infinity_exactly()
    {
        var within = new Comparison(new Tolerance(0.1, 0.01));
        within.Add([10.0, 0.0, double.NaN, double.PositiveInfinity], [10.19f, -0.09f, float.NaN, float.PositiveInfinity]);
        Assert.True(within.Passed);
        Assert.Equal(0.19, within.MaxAbs, 1e-5);

        var outside = new Comparison(new Tolerance(0.1, 0.01));
        outside.Add([10.0], [10.21f]);
        Assert.False(outside.Passed);

        var nan = new Comparison(new Tolerance(1, 1));
        nan.Add([1.0, 2.0], [float.NaN, 2f]);
        Assert.False(nan.Passed);
        Assert.True(double.IsNaN(nan.MaxAbs));
    }
}
