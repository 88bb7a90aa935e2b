using GpuTrainer.Compute;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>The shared backend suite on our ILGPU kernels, run by ILGPU's CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuBackendOpsTests(IlgpuCpuFixture fixture) : BackendOpsTests
{
    protected override IBackend Backend => fixture.Backend;
}
