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
/// accelerator (the same calls a GPU gets): no host synchronisation inside an epoch and a bounded number of launches;
/// the bytes allocated on the queuing thread per step are printed (GC.GetAllocatedBytesForCurrentThread between two steps).
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuStepCounterTests(IlgpuCpuFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Issue 8's target. Launches of one step: gather 1; forward 7 (conv + bias + ReLU in the epilogue, pool, x2; three
    /// GEMMs with bias (+ ReLU) in the epilogue); loss 1; backward 10 (per linear layer ONE launch for dW, db and the
    /// ReLU-masked dx; pool backwards with the ReLU backward folded in; per convolution backward-weight + bias as one
    /// split-K GEMM and its sum, and conv2's backward-data); optimizer 1. Total 20.
    /// </summary>
    private const int LaunchBudget = 20;

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
        counter.Reserve(loader.BatchCount);
        Action afterStep = counter.AfterStep;

        trainer.TrainEpoch(loader, 0, new RecordingSink(), afterStep);
        var step = counter.MaxPerStep();
        var allocated = counter.MaxAllocatedBytesPerStep();
        output.WriteLine($"per step: {step.Launches} launches, {step.Synchronizations} host synchronisations, {allocated} bytes allocated");

        Assert.Equal(0, step.Synchronizations);
        Assert.InRange(step.Launches, 1, LaunchBudget);
        // Not asserted yet: 4,104 bytes per step were measured here (about 205 per launch, apparently inside ILGPU's
        // CPU-accelerator launch path); issue 8 asks for 0. gpubench reports it as lenet_step_alloc_bytes.
    }
}
