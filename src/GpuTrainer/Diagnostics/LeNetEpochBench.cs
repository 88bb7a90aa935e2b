using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// One LeNet-5 training epoch (Adam, fixed lr 1e-3) over synthetic 28x28 images, timed two ways: the product path
/// (<see cref="Trainer.TrainEpoch"/>: data resident on the device, batches gathered there, the loss log read once per
/// epoch) and the host path it replaced (the loader normalises, shuffles and uploads every batch, and each step's loss
/// is read back). On an ILGPU backend it also reports the launches and host synchronisations of one training step.
/// </summary>
public static class LeNetEpochBench
{
    private const int Side = 28, Seed = 7;
    private const double Lr = 1e-3;

    /// <summary>Times both epochs over <paramref name="images"/> synthetic images at batch <paramref name="batch"/>.</summary>
    public static IReadOnlyList<BenchResult> Run(IBackend backend, int images, int batch)
    {
        var loader = new BatchLoader(Synthetic(images), batch, shuffle: true, seed: Seed);
        var options = new TrainingOptions { Optimizer = OptimizerKind.Adam, Schedule = new FixedLr(Lr), Epochs = 1, Batch = batch, Seed = Seed };
        using var trainer = new Trainer(backend, options, Side);
        using var sink = new CompositeMetricSink();
        var what = $"{images:N0} synthetic 28x28 images, batch {batch}, Adam";

        // Warm-up: compiles every kernel and makes the resident copy of the data set (untimed).
        var clock = Stopwatch.StartNew();
        trainer.TrainBatches(loader, 0, 0, [Lr], new double[1]);
        backend.Synchronize();
        var stageSeconds = clock.Elapsed.TotalSeconds;

        var counter = backend is IlgpuBackend ilgpu ? new StepCounter(ilgpu) : null;
        counter?.Reserve(loader.BatchCount);
        clock.Restart();
        trainer.TrainEpoch(loader, 0, sink, counter is null ? null : counter.AfterStep);
        backend.Synchronize();
        var residentSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        foreach (var host in loader.Epoch(0))
        {
            trainer.TrainBatch(host, Lr);
        }

        backend.Synchronize();
        var uploadSeconds = clock.Elapsed.TotalSeconds;

        List<BenchResult> results =
        [
            new BenchResult(
                "lenet_epoch_upload_s", "LeNet-5 epoch, batches uploaded per step (the host path)", uploadSeconds, "s",
                $"{what}; includes host-side normalising, shuffling, one upload per batch and one loss read per step"),
            new BenchResult(
                "lenet_epoch_resident_s", "LeNet-5 epoch, data resident on the device (Trainer.TrainEpoch)", residentSeconds, "s",
                $"{what}; batches gathered on the device, losses read once per epoch; data uploaded beforehand with the warm-up ({stageSeconds:F2} s, not included)"),
        ];
        if (counter is { Steps: >= 2 })
        {
            var step = counter.MaxPerStep();
            results.Add(new BenchResult(
                "lenet_step_launches", "kernel launches per training step", step.Launches, "launches",
                $"the most between two consecutive steps of the resident epoch ({counter.Steps} steps); target <= 20"));
            results.Add(new BenchResult(
                "lenet_step_syncs", "host synchronisations per training step", step.Synchronizations, "syncs",
                $"the most between two consecutive steps of the resident epoch ({counter.Steps} steps); target 0"));
            results.Add(new BenchResult(
                "lenet_step_alloc_bytes", "bytes allocated per training step", counter.MaxAllocatedBytesPerStep(), "bytes",
                $"the most between two consecutive steps, on the thread that queues them ({counter.Steps} steps); on the CPU accelerator ILGPU's task objects ({step.LaunchBytes} bytes)"));
            results.Add(new BenchResult(
                "lenet_step_own_alloc_bytes", "bytes allocated per training step outside ILGPU's launch calls", counter.MaxOwnAllocatedBytesPerStep(), "bytes",
                $"lenet_step_alloc_bytes less what ILGPU allocated queuing the launches ({counter.Steps} steps); target 0"));
        }

        return results;
    }

    // Random grey levels and labels of MNIST's shape; the speed does not depend on the content.
    internal static MnistDataset Synthetic(int count)
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
