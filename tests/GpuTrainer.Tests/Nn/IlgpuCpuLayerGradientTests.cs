using GpuTrainer.Compute;
using GpuTrainer.Tests.Compute;
using Xunit;

namespace GpuTrainer.Tests.Nn;

/// <summary>Layer gradient checks through our ILGPU kernels on the CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuLayerGradientTests(IlgpuCpuFixture fixture) : LayerGradientTests
{
    protected override IBackend Backend => fixture.Backend;
}
