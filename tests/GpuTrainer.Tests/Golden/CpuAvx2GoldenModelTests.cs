using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// The PyTorch golden tests on the managed CPU backend's other configuration: one thread and the AVX2 path
/// (<see cref="CpuGoldenModelTests"/> runs two threads on the default path, AVX-512 where the CPU accelerates it).
/// </summary>
public sealed class CpuAvx2GoldenModelTests(ITestOutputHelper output) : GoldenOptimizerTests(output)
{
    protected override IBackend Backend { get; } = new CpuBackend(1, CpuVectorPath.Avx2);
}
