using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Tests.Nn;

/// <summary>Layer gradient checks on the managed CPU backend.</summary>
public sealed class CpuLayerGradientTests : LayerGradientTests
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);
}
