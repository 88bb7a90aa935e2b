using GpuTrainer.Optim;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.LrFinder;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>
/// The training step end to end on one backend: batches gathered from the resident data set are exactly the host
/// loader's, and a short run (Adam on <see cref="TinyMnist"/>, 2 steps per epoch) learns. Each backend and accelerator
/// runs the class through a thin sealed subclass; shapes stay small for ILGPU's CPU accelerator.
/// </summary>
public abstract class TrainingRunTests
{
    private const int Batch = 10;
    private static readonly MnistDataset Train = TinyMnist.Create(17, seed: 1);   // 2 batches: 10, 7
    private static readonly MnistDataset Test = TinyMnist.Create(10, seed: 2);

    protected abstract IBackend Backend { get; }

    [Fact]
    public void Gathered_batches_are_the_loaders_batches_bit_for_bit()
    {
        var loader = new BatchLoader(Train, Batch, shuffle: true, seed: 5);
        using var data = new ResidentDataset(Backend, loader);
        using var images = Backend.Allocate(Batch * loader.ImageLength);
        using var labels = Backend.Allocate(Batch);
        var (hostImages, hostLabels) = (new float[Batch * loader.ImageLength], new float[Batch]);
        foreach (var epoch in new[] { 0, 3, 1 })
        {
            data.PrepareEpoch(epoch);
            for (var b = 0; b < loader.BatchCount; b++)
            {
                var size = data.Gather(b, images.All, labels.All);
                Assert.Equal(loader.Fill(epoch, b, hostImages, hostLabels), size);
                Assert.Equal(hostImages[..(size * loader.ImageLength)], Download(images.Slice(0, size * loader.ImageLength)));
                Assert.Equal(hostLabels[..size], Download(labels.Slice(0, size)));
            }
        }
    }

    [Fact]
    public void A_short_run_learns_and_logs_every_step()
    {
        var options = new TrainingOptions { Optimizer = OptimizerKind.Adam, Schedule = new FixedLr(5e-3), Epochs = 4, Batch = Batch, Seed = 4 };
        using var trainer = new Trainer(Backend, [options]);
        var sink = new RecordingSink();
        var ticks = 0;

        var results = trainer.Fit(new BatchLoader(Train, Batch, seed: 4), new BatchLoader(Test, Batch, shuffle: false), [sink], afterBatch: () => ticks++)[0];

        var losses = sink.Of(MetricTags.LossTrain).ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(s => (long)s), losses.Select(l => l.Step));
        Assert.Equal(8, ticks);
        Assert.All(losses, l => Assert.True(double.IsFinite(l.Value)));
        // Chance is ln 10 = 2.30; eight steps on these bands bring the training loss clearly below it (about 0.7x).
        Assert.True(results[^1].TrainLoss < 0.8 * results[0].TrainLoss, $"train loss fell only from {results[0].TrainLoss:F3} to {results[^1].TrainLoss:F3}");
    }

    private float[] Download(Tensor t)
    {
        var values = new float[t.Length];
        Backend.Download(t, values);
        return values;
    }
}
