using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// LeNet-5 training epochs over synthetic 28x28 images resident on the device (<see cref="Trainer.TrainEpoch"/>), for
/// models of K = 1, 4 and 16 members (Adam and SGD with momentum alternating, member 0 Adam), reported as images x
/// members per second (every member sees every image; at most <see cref="MaxGroupImages"/> images per K &gt; 1). A lone
/// model's epoch is also timed the host way it replaced (the loader normalises, shuffles and uploads every batch, and each
/// step's loss is read back). On an ILGPU backend it reports the launches, host synchronisations and bytes allocated per
/// training step of K = 1 (lenet_step_*) and K = 16 (group16_step_*): the most between two consecutive steps.
/// Each K follows one untimed batch that compiles the kernels and makes the resident copy of the data.
/// </summary>
public static class LeNetEpochBench
{
    /// <summary>The member counts measured.</summary>
    public static readonly IReadOnlyList<int> Sizes = [1, 4, 16];

    private const int Side = 28, Seed = 7, MaxGroupImages = 12_800;

    /// <summary>Times the epochs over <paramref name="images"/> synthetic images at batch <paramref name="batch"/>.</summary>
    public static IReadOnlyList<BenchResult> Run(IBackend backend, int images, int batch)
    {
        var results = new List<BenchResult>();
        foreach (var k in Sizes)
        {
            var data = Synthetic(k == 1 ? images : Math.Min(images, MaxGroupImages));
            var loader = new BatchLoader(data, batch, shuffle: true, seed: Seed);
            var members = Enumerable.Range(0, k).Select(i => new TrainingOptions
            {
                Optimizer = i % 2 == 0 ? OptimizerKind.Adam : OptimizerKind.Sgd,
                Momentum = i % 2 == 0 ? 0 : 0.9,
                Schedule = new FixedLr(i % 2 == 0 ? 1e-3 : 1e-2),
                Epochs = 1, Batch = batch, Seed = Seed,
            }).ToList();
            var lrs = members.Select(m => m.Schedule.LearningRate(0)).ToArray();
            using var trainer = new Trainer(backend, members, Side);
            var sinks = members.Select(_ => (IMetricSink)new CompositeMetricSink()).ToList();
            var what = string.Create(CultureInfo.InvariantCulture, $"{data.Count:N0} synthetic 28x28 images, batch {batch}");

            var clock = Stopwatch.StartNew();
            trainer.TrainBatches(loader, 0, 0, 1, lrs, new double[k]);
            backend.Synchronize();
            var stageSeconds = clock.Elapsed.TotalSeconds;

            var counter = backend is IlgpuBackend ilgpu ? new StepCounter(ilgpu) : null;
            counter?.Reserve(loader.BatchCount);
            clock.Restart();
            trainer.TrainEpoch(loader, 0, sinks, counter is null ? null : counter.AfterStep);
            backend.Synchronize();
            var residentSeconds = clock.Elapsed.TotalSeconds;
            results.Add(new BenchResult(
                string.Create(CultureInfo.InvariantCulture, $"lenet_group_k{k}_img_models_per_s"),
                string.Create(CultureInfo.InvariantCulture, $"LeNet-5 of {k} member(s), images x members per second"),
                (double)data.Count * k / residentSeconds, "img*models/s",
                string.Create(CultureInfo.InvariantCulture, $"{what}, {k} member(s) (Adam / SGD+momentum alternating) in one pass; {residentSeconds:F2} s")));
            if (k == 1)
            {
                results.Add(new BenchResult(
                    "lenet_epoch_resident_s", "LeNet-5 epoch, data resident on the device (Trainer.TrainEpoch)", residentSeconds, "s",
                    $"{what}, Adam; batches gathered on the device, losses read once per epoch; data uploaded beforehand with the warm-up ({stageSeconds:F2} s, not included)"));
                results.Add(UploadEpoch(backend, trainer, loader, lrs, what));
            }

            if (counter is { Steps: >= 2 } && k is 1 or 16)
            {
                results.AddRange(StepCounts(k == 1 ? "lenet_step" : "group16_step", k == 1 ? "" : " of a 16-member model", counter, k == 1 ? 20 : 24));
            }
        }

        return results;
    }

    // The lone model's epoch the host way: every batch uploaded and every step's loss read back.
    private static BenchResult UploadEpoch(IBackend backend, Trainer trainer, BatchLoader loader, double[] lrs, string what)
    {
        var clock = Stopwatch.StartNew();
        var losses = new double[lrs.Length];
        foreach (var host in loader.Epoch(0))
        {
            trainer.TrainBatch(host, lrs, losses);
        }

        backend.Synchronize();
        return new BenchResult(
            "lenet_epoch_upload_s", "LeNet-5 epoch, batches uploaded per step (the host path)", clock.Elapsed.TotalSeconds, "s",
            $"{what}, Adam; includes host-side normalising, shuffling, one upload per batch and one loss read per step");
    }

    private static IEnumerable<BenchResult> StepCounts(string key, string whose, StepCounter counter, int launchTarget)
    {
        var step = counter.MaxPerStep();
        var between = $"the most between two consecutive steps of the resident epoch ({counter.Steps} steps)";
        yield return new BenchResult($"{key}_launches", $"kernel launches per training step{whose}", step.Launches, "launches", $"{between}; target <= {launchTarget}");
        yield return new BenchResult($"{key}_syncs", $"host synchronisations per training step{whose}", step.Synchronizations, "syncs", $"{between}; target 0");
        yield return new BenchResult(
            $"{key}_alloc_bytes", $"bytes allocated per training step{whose}", counter.MaxAllocatedBytesPerStep(), "bytes",
            $"{between}, on the thread that queues them; on the CPU accelerator ILGPU's task objects ({step.LaunchBytes} bytes)");
        yield return new BenchResult(
            $"{key}_own_alloc_bytes", $"bytes allocated per training step{whose} outside ILGPU's launch calls", counter.MaxOwnAllocatedBytesPerStep(), "bytes",
            $"{key}_alloc_bytes less what ILGPU allocated queuing the launches; target 0");
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
