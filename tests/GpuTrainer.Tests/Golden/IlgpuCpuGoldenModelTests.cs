using GpuTrainer.Compute;
using GpuTrainer.Tests.Compute;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>The PyTorch golden tests, optimizer runs included, through our ILGPU kernels on the CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuGoldenModelTests(IlgpuCpuFixture fixture, ITestOutputHelper output) : GoldenOptimizerTests(output)
{
    protected override IBackend Backend => fixture.Backend;
}
