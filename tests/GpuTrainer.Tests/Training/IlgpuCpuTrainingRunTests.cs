using GpuTrainer.Compute;
using GpuTrainer.Tests.Compute;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>The training-step suite through our ILGPU kernels on the CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuTrainingRunTests(IlgpuCpuFixture fixture) : TrainingRunTests
{
    protected override IBackend Backend => fixture.Backend;
}
