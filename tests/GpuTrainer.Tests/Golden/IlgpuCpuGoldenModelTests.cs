using GpuTrainer.Compute;
using GpuTrainer.Tests.Compute;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// The PyTorch golden tests through our ILGPU kernels on the CPU accelerator, all four optimizer runs included (the
/// backend's GEMM choice for this accelerator, GemmChoice, keeps each run to seconds).
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuGoldenModelTests(IlgpuCpuFixture fixture, ITestOutputHelper output) : GoldenOptimizerTests(output)
{
    protected override IBackend Backend => fixture.Backend;
}
