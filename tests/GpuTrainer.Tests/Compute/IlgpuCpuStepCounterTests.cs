using GpuTrainer.Optim;
using GpuTrainer.Diagnostics;
using GpuTrainer.Data;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.LrFinder;
using GpuTrainer.Training;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// The launches and host synchronisations of one LeNet-5 training step, counted by the ILGPU backend on the CPU
/// accelerator (the same calls a GPU gets): no host synchronisation inside an epoch, and a bounded number of launches.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuStepCounterTests(IlgpuCpuFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Launches of one step today: gather 1, forward 12 (conv + bias-ReLU, pool, x2; GEMM + bias x3), loss 1, backward 22
    /// (with conv backward-weight's split-K sums), optimizer 1. Issue 8's target is 20, reached once the GEMM and
    /// convolution epilogue fusions land (bias + ReLU, ReLU backward, bias gradients); lower this with them.
    /// </summary>
    private const int LaunchBudget = 37;

    [Fact]
    public void A_training_step_needs_no_host_synchronisation_and_few_launches()
    {
        // 12x12 images (LeNet-5's smallest input) and two steps of 4: the launch sequence of any size, at the least cost
        // on the CPU accelerator.
        var backend = fixture.Backend;
        const int side = 12;
        var pixels = new byte[8 * side * side];
        new Random(3).NextBytes(pixels);
        var loader = new BatchLoader(new MnistDataset(pixels, [1, 2, 3, 4, 5, 6, 7, 8], side, side), batchSize: 4, seed: 3);
        var options = new TrainingOptions { Optimizer = OptimizerKind.Adam, Schedule = new FixedLr(1e-3), Epochs = 1, Batch = 4 };
        using var trainer = new Trainer(backend, options, side);
        var counter = new StepCounter(backend);

        trainer.TrainEpoch(loader, 0, new RecordingSink(), counter.AfterStep);
        var step = counter.MaxPerStep();
        output.WriteLine($"per step: {step.Launches} launches, {step.Synchronizations} host synchronisations");

        Assert.Equal(0, step.Synchronizations);
        Assert.InRange(step.Launches, 1, LaunchBudget);
    }
}
