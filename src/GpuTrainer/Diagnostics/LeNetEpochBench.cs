using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// One LeNet-5 training epoch (Adam, fixed lr 1e-3) over synthetic 28x28 images, timed two ways:
/// the product path (<see cref="Trainer.TrainEpoch"/>: the host loader normalises, shuffles and uploads
/// every batch) and with the whole data set resident on the device (uploaded once, untimed, then batches
/// are views of it). Both read the loss back after every step, as training does.
/// </summary>
public static class LeNetEpochBench
{
    private const int Side = 28, Seed = 7, WarmupBatches = 1;

    /// <summary>Times both epochs over <paramref name="images"/> synthetic images at batch <paramref name="batch"/>.</summary>
    public static IReadOnlyList<BenchResult> Run(IBackend backend, int images, int batch)
    {
        var loader = new BatchLoader(Synthetic(images), batch, shuffle: true, seed: Seed);
        var options = new TrainingOptions { Optimizer = OptimizerKind.Adam, Schedule = new FixedLr(1e-3), Epochs = 1, Batch = batch, Seed = Seed };
        using var trainer = new Trainer(backend, options, Side);
        using var sink = new CompositeMetricSink();
        var what = $"{images:N0} synthetic 28x28 images, batch {batch}, Adam; loss read back every step";

        foreach (var warmup in loader.Epoch(0).Take(WarmupBatches))
        {
            trainer.TrainBatch(warmup, 1e-3);
        }

        backend.Synchronize();
        var clock = Stopwatch.StartNew();
        trainer.TrainEpoch(loader, 0, sink);
        backend.Synchronize();
        var uploadSeconds = clock.Elapsed.TotalSeconds;

        var (residentSeconds, stageSeconds) = ResidentEpoch(backend, trainer, loader);
        return
        [
            new BenchResult(
                "lenet_epoch_upload_s", "LeNet-5 epoch, batches uploaded per step (Trainer.TrainEpoch)", uploadSeconds, "s",
                $"{what}; includes host-side normalising, shuffling and one upload per batch"),
            new BenchResult(
                "lenet_epoch_resident_s", "LeNet-5 epoch, data resident on the device", residentSeconds, "s",
                $"{what}; data uploaded once beforehand ({stageSeconds:F2} s, not included)"),
        ];
    }

    // Stages the whole epoch (in one shuffled order) on the device, then trains on views of it.
    private static (double Epoch, double Stage) ResidentEpoch(IBackend backend, Trainer trainer, BatchLoader loader)
    {
        var pixels = loader.ImageLength;
        var count = loader.Dataset.Count;
        var clock = Stopwatch.StartNew();
        var hostImages = new float[(long)count * pixels];
        var hostLabels = new float[count];
        for (var b = 0; b < loader.BatchCount; b++)
        {
            var start = b * loader.BatchSize;
            loader.Fill(0, b, hostImages.AsSpan(start * pixels), hostLabels.AsSpan(start));
        }

        using var images = backend.Allocate(hostImages.Length);
        using var labels = backend.Allocate(count);
        backend.Upload(hostImages, images.All);
        backend.Upload(hostLabels, labels.All);
        backend.Synchronize();
        var stage = clock.Elapsed.TotalSeconds;

        clock.Restart();
        for (var b = 0; b < loader.BatchCount; b++)
        {
            var start = b * loader.BatchSize;
            var size = loader.SizeOf(b);
            trainer.TrainBatch(images.Slice(start * pixels, size * pixels), labels.Slice(start, size), size, 1e-3);
        }

        backend.Synchronize();
        return (clock.Elapsed.TotalSeconds, stage);
    }

    // Random grey levels and labels of MNIST's shape; the speed does not depend on the content.
    private static MnistDataset Synthetic(int count)
    {
        var random = new Random(Seed);
        var pixels = new byte[count * Side * Side];
        var labels = new byte[count];
        random.NextBytes(pixels);
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(MnistDataset.Classes);
        }

        return new MnistDataset(pixels, labels, Side, Side);
    }
}
