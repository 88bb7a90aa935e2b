using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Tests.Training;

/// <summary>The training-step suite on the managed CPU backend.</summary>
public sealed class CpuTrainingRunTests : TrainingRunTests
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);
}
