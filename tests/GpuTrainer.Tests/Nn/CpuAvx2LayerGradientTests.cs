using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Tests.Nn;

/// <summary>Layer gradient checks on the managed CPU backend with one thread on the AVX2 path (the default path on two threads is <see cref="CpuLayerGradientTests"/>).</summary>
public sealed class CpuAvx2LayerGradientTests : LayerGradientTests
{
    protected override IBackend Backend { get; } = new CpuBackend(1, CpuVectorPath.Avx2);
}
