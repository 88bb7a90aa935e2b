using GpuTrainer.Compute;
using GpuTrainer.Tests.Compute;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>The PyTorch golden test through our ILGPU kernels on the CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuGoldenModelTests(IlgpuCpuFixture fixture, ITestOutputHelper output) : GoldenModelTests(output)
{
    protected override IBackend Backend => fixture.Backend;
}
