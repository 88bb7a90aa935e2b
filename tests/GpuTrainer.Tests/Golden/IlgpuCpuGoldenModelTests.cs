using GpuTrainer.Compute;
using GpuTrainer.Tests.Compute;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// The PyTorch golden tests through our ILGPU kernels on the CPU accelerator. Of the optimizer runs only AdamW's
/// (Adam's update plus the decoupled decay): each run takes over a minute there, and SGD's kernel is checked against
/// the reference by the op suite on this accelerator; the managed backend and CUDA run all four.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuGoldenModelTests(IlgpuCpuFixture fixture, ITestOutputHelper output) : GoldenOptimizerTests(output)
{
    /// <summary>Hides the base's list of optimizer runs for this accelerator.</summary>
    public static new TheoryData<string> Runs => new() { "adamw" };

    protected override IBackend Backend => fixture.Backend;
}
