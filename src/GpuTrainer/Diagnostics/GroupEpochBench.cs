using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// Model groups' throughput: K LeNet-5 models (half SGD with momentum, half Adam) training together on the same
/// synthetic 28x28 batches resident on the device (<see cref="GroupTrainer.TrainEpoch"/>), for K = 1, 4 and 16, reported
/// as images x models per second (every model sees every image). At most <see cref="MaxImages"/> images are timed per K,
/// after one untimed batch that compiles the kernels and makes the resident copy of the data.
/// </summary>
public static class GroupEpochBench
{
    /// <summary>The group sizes measured.</summary>
    public static readonly IReadOnlyList<int> Sizes = [1, 4, 16];

    private const int MaxImages = 12_800, Seed = 7;

    /// <summary>One result per group size.</summary>
    public static IEnumerable<BenchResult> Run(IBackend backend, int images, int batch)
    {
        var data = LeNetEpochBench.Synthetic(Math.Min(images, MaxImages));
        foreach (var k in Sizes)
        {
            var members = Enumerable.Range(0, k).Select(i => new TrainingOptions
            {
                Optimizer = i % 2 == 0 ? OptimizerKind.Sgd : OptimizerKind.Adam,
                Momentum = i % 2 == 0 ? 0.9 : 0,
                Schedule = new FixedLr(i % 2 == 0 ? 1e-2 : 1e-3),
                Epochs = 1, Batch = batch, Seed = Seed,
            }).ToList();
            using var trainer = new GroupTrainer(backend, members, data.Height);
            var loader = new BatchLoader(data, batch, shuffle: true, seed: Seed);
            var sinks = members.Select(_ => (IMetricSink)new CompositeMetricSink()).ToList();
            trainer.TrainBatches(loader, 0, 0, 1, [.. members.Select(m => m.Schedule.LearningRate(0))], new double[k]);
            backend.Synchronize();
            var clock = Stopwatch.StartNew();
            trainer.TrainEpoch(loader, 0, sinks);
            backend.Synchronize();
            var seconds = clock.Elapsed.TotalSeconds;
            yield return new BenchResult(
                string.Create(CultureInfo.InvariantCulture, $"lenet_group_k{k}_img_models_per_s"),
                string.Create(CultureInfo.InvariantCulture, $"LeNet-5 group of {k}, images x models per second"),
                (double)data.Count * k / seconds, "img*models/s",
                string.Create(CultureInfo.InvariantCulture, $"{data.Count:N0} synthetic images resident on the device, batch {batch}, {k} model(s) (SGD+momentum / Adam alternating) in one pass; {seconds:F2} s"));
        }
    }
}
