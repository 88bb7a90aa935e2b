using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Benchmarks.Groups;

/// <summary>
/// `groups --data DIR [--epochs N] [--rounds R] [--threads T] [--images N]`: the study's 16 cells (SGD and Adam x fixed
/// and StepLR x the reference study's 4 candidates, batch 128) on the managed backend, R rounds of: the 16 cells one after
/// another (each alone, as `study --parallel 1` trains them), then the 16 as one model group (`--parallel 16`), N epochs
/// each, side by side in one process (A B A B). Prints seconds per epoch of both (training and test evaluation, with the
/// load average beside each), their ratio, whether every cell ended bit for bit alike, and the projected 30-epoch study
/// with its two range tests (2,345 steps each; alone one model at a time, grouped both optimizers as one group of 2),
/// priced from steps timed here. --images trains on the first N training images only (and the same share of the test
/// images); the projection scales the measured epochs to the whole set.
/// </summary>
internal static class GroupStudyCommand
{
    private const int Batch = 128, Seed = 1, FullEpochs = 30, RangeTestSteps = 2345, TimedSweepSteps = 96;

    private static readonly double[] Sgd = [0.0046401, 0.01271, 0.05044, 0.2161];
    private static readonly double[] Adam = [6.291e-5, 2.0318e-4, 6.6401e-4, 5.4723e-3];

    public static int Run(IReadOnlyList<string> args)
    {
        string? data = null;
        var (epochs, rounds, threads, images) = (1, 2, 2, int.MaxValue);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--epochs": epochs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--images": images = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'; use --data DIR, --epochs N, --rounds R, --threads N or --images N.");
            }
        }

        var run = RunData.Load(data);
        var full = run.Train.Count;
        var subset = Prefix(run.Train, Math.Min(images, full));
        var testSubset = Prefix(run.Test, (int)((long)run.Test.Count * subset.Count / full));
        var cells = Cells(epochs);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{cells.Count} cells, {subset.Count:N0} of {full:N0} train / {testSubset.Count:N0} of {run.Test.Count:N0} test images of {run.Directory}, batch {Batch}, {epochs} epoch(s) x {rounds} round(s), managed backend with {threads} threads; load {Load()}"));

        var train = new BatchLoader(subset, Batch, shuffle: true, Seed);
        var test = new BatchLoader(testSubset, Batch, shuffle: false);
        using var backend = new CpuBackend(threads);
        var rows = new List<(int Round, int Epoch, double Alone, string AloneLoad, double Grouped, string GroupedLoad)>();
        var identical = true;
        for (var round = 1; round <= rounds; round++)
        {
            var alone = new double[epochs];
            var aloneAccuracy = new List<double>();
            foreach (var options in cells)
            {
                using var trainer = new Trainer(backend, [options], run.Train.Height);
                var history = trainer.Fit(train, test, [new CompositeMetricSink()])[0];
                for (var e = 0; e < epochs; e++)
                {
                    alone[e] += EpochSeconds(history, e);
                }

                aloneAccuracy.Add(history[^1].TestAccuracy);
            }

            var aloneLoad = Load();
            IReadOnlyList<EpochResult>[] histories;
            using (var trainer = new Trainer(backend, cells, run.Train.Height))
            {
                histories = trainer.Fit(train, test, [.. cells.Select(_ => (IMetricSink)new CompositeMetricSink())]);
            }

            var groupedLoad = Load();
            identical &= histories.Select((h, k) => h.Count == epochs && h[^1].TestAccuracy == aloneAccuracy[k]).All(x => x);
            for (var e = 0; e < epochs; e++)
            {
                rows.Add((round, e + 1, alone[e], aloneLoad, EpochSeconds(histories[0], e), groupedLoad));
            }
        }

        Console.WriteLine($"final test accuracies identical alone and grouped (every cell, every round): {identical}");
        Console.WriteLine();
        Console.WriteLine("| round | epoch | 16 cells one after another (s) | load | 16 cells as one group (s) | load | speed-up |");
        Console.WriteLine("|---:|---:|---:|---|---:|---|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(c, $"| {r.Round} | {r.Epoch} | {r.Alone:F1} | {r.AloneLoad} | {r.Grouped:F1} | {r.GroupedLoad} | {r.Alone / r.Grouped:F2}x |"));
        }

        var scale = (double)full / subset.Count;   // train and test subsets are the same share of their sets
        var (aloneEpoch, groupEpoch) = (rows.Average(r => r.Alone) * scale, rows.Average(r => r.Grouped) * scale);
        var (sweepAlone, sweepGrouped, sweepLoad) = RangeTests(backend, train, run.Train.Height);
        Console.WriteLine();
        Console.WriteLine(string.Create(c,
            $"ratio of the mean epochs: {aloneEpoch / groupEpoch:F2}x; range tests of sgd and adam ({RangeTestSteps} steps each, from up to {TimedSweepSteps} timed steps; load {sweepLoad}): alone {sweepAlone:F0} s, as one group {sweepGrouped:F0} s"));
        Console.WriteLine(string.Create(c,
            $"projected {FullEpochs}-epoch study with its range tests: --parallel 1 {(FullEpochs * aloneEpoch + sweepAlone) / 60:F1} min, grouped {(FullEpochs * groupEpoch + sweepGrouped) / 60:F1} min"));
        return identical ? 0 : 1;
    }

    // Seconds of epoch e (training and evaluation) from the cumulative clock the history keeps.
    private static double EpochSeconds(IReadOnlyList<EpochResult> history, int e) =>
        (history[e].Elapsed - (e == 0 ? TimeSpan.Zero : history[e - 1].Elapsed)).TotalSeconds;

    // The two range tests' cost at RangeTestSteps steps: SGD and Adam one after another, then as one group of two.
    private static (double Alone, double Grouped, string Load) RangeTests(CpuBackend backend, BatchLoader train, int side)
    {
        var steps = Math.Min(TimedSweepSteps, train.BatchCount - 1);
        var lrs = Enumerable.Repeat(1e-3, steps).ToArray();
        TrainingOptions[] sweeps = [Options(OptimizerKind.Sgd, new FixedLr(1e-3), 1), Options(OptimizerKind.Adam, new FixedLr(1e-3), 1)];
        double alone = 0;
        foreach (var options in sweeps)
        {
            using var trainer = new Trainer(backend, [options], side);
            trainer.TrainBatches(train, 0, 0, 1, [1e-3], new double[1]);   // the resident copy, untimed
            var clock = Stopwatch.StartNew();
            trainer.TrainBatches(train, 0, 1, steps, lrs, new double[lrs.Length]);
            alone += clock.Elapsed.TotalSeconds;
        }

        using var group = new Trainer(backend, sweeps, side);
        group.TrainBatches(train, 0, 0, 1, [1e-3, 1e-3], new double[2]);
        var timer = Stopwatch.StartNew();
        group.TrainBatches(train, 0, 1, steps, [.. lrs.SelectMany(lr => new[] { lr, lr })], new double[2 * steps]);
        var grouped = timer.Elapsed.TotalSeconds;
        var perStep = (double)RangeTestSteps / steps;
        return (alone * perStep, grouped * perStep, Load());
    }

    private static string Load() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static MnistDataset Prefix(MnistDataset d, int count) =>
        count == d.Count ? d : new MnistDataset(d.Images[..(count * d.ImageSize)], d.Labels[..count], d.Height, d.Width);

    private static TrainingOptions Options(OptimizerKind optimizer, ILrSchedule schedule, int epochs) =>
        new() { Optimizer = optimizer, Schedule = schedule, ScheduleUnit = ScheduleUnit.Epoch, Epochs = epochs, Batch = Batch, Seed = Seed };

    private static List<TrainingOptions> Cells(int epochs) =>
        [.. new[] { (OptimizerKind.Sgd, Sgd), (OptimizerKind.Adam, Adam) }.SelectMany(o =>
            new[] { false, true }.SelectMany(step => o.Item2.Select(lr => Options(o.Item1, step ? new StepLr(lr, 1, 0.5) : new FixedLr(lr), epochs))))];
}
