using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.Compute;
using GpuTrainer.Tests.LrFinder;
using GpuTrainer.Tests.Reference;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>
/// A short training run through our ILGPU kernels on the CPU accelerator: <see cref="Trainer.Fit"/> end to end (resident
/// data, gathered batches, fused step, step log, evaluation) at LeNet-5's smallest input, 12x12, 8 images at batch 4 for
/// 2 epochs, against the same run on the managed backend. The full <see cref="TrainingRunTests"/> (28x28, 8 steps and
/// 4 evaluations) took 12 minutes here under a load of 240: no hang, but the accelerator runs every simulated thread
/// as an OS thread, so its cost grows with groups x barriers; this run keeps to a few of each.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuTrainingRunTests(IlgpuCpuFixture fixture)
{
    private const int Side = 12, Batch = 4;

    [Fact]
    public void A_short_run_logs_every_step_and_ends_where_the_managed_backend_does()
    {
        var (ilgpuLosses, ilgpuParameters) = Run(fixture.Backend);
        using var managed = new CpuBackend(threads: 1);
        var (managedLosses, managedParameters) = Run(managed);

        Assert.Equal(4, ilgpuLosses.Length);
        Assert.All(ilgpuLosses, l => Assert.True(double.IsFinite(l)));
        // Four SGD steps (momentum 0.9, lr 0.1; SGD, unlike Adam, does not blow up the rounding noise of near-zero gradients)
        // move parameters by up to about 0.1 * |g|: a wrong gradient anywhere shows far above 1e-4.
        TestData.AssertClose(managedLosses, ilgpuLosses.Select(l => (float)l).ToArray(), 1e-4, 1e-4, "Loss/train");
        TestData.AssertClose(Array.ConvertAll(managedParameters, p => (double)p), ilgpuParameters, 1e-4, 1e-3, "parameters");
    }

    private static (double[] Losses, float[] Parameters) Run(IBackend backend)
    {
        var random = new Random(11);
        var pixels = new byte[8 * Side * Side];
        random.NextBytes(pixels);
        var train = new MnistDataset(pixels, [0, 1, 2, 3, 4, 5, 6, 7], Side, Side);
        var test = new MnistDataset(pixels[..(4 * Side * Side)], [0, 1, 2, 3], Side, Side);
        var options = new TrainingOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9, Schedule = new FixedLr(0.1), Epochs = 2, Batch = Batch, Seed = 3 };
        using var trainer = new Trainer(backend, [options], Side);
        var sink = new RecordingSink();
        trainer.Fit(new BatchLoader(train, Batch, seed: 3), new BatchLoader(test, Batch, shuffle: false), [sink]);
        return ([.. sink.Of(MetricTags.LossTrain).Select(l => l.Value)], trainer.Model.ReadParameters());
    }
}
