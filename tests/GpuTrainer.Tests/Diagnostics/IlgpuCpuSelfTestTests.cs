using GpuTrainer.Diagnostics;
using GpuTrainer.Tests.Compute;
using Xunit;

namespace GpuTrainer.Tests.Diagnostics;

/// <summary>The small self-test of our ILGPU kernels on the CPU accelerator, as `gputrainer selftest --device ilgpu-cpu --size small` runs it.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuSelfTestTests(IlgpuCpuFixture fixture)
{
    [Fact]
    public void Every_kernel_passes_at_small_size()
    {
        var results = new BackendSelfTest(fixture.Backend).Run(CheckSize.Small);

        Assert.All(results, r => Assert.True(r.Passed, r.ToString()));
    }
}
