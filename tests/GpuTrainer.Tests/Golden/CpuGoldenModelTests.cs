using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>The PyTorch golden tests, optimizer runs included, on the managed CPU backend.</summary>
public sealed class CpuGoldenModelTests(ITestOutputHelper output) : GoldenOptimizerTests(output)
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);
}
