using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Benchmarks.Groups;

/// <summary>
/// `groups --data DIR [--epochs N] [--threads T] [--images N]`: the study's 16 cells (SGD and Adam x fixed and StepLR x the reference
/// study's 4 candidates, batch 128) trained on the managed backend one after another (each alone, as `--parallel 1`
/// does) and then as one group (`--parallel 16`), side by side in one process; prints seconds per epoch (training and
/// test evaluation) of both, their ratio, and the projected 30-epoch study with its two range tests (2 x 2,345 steps,
/// one model each, priced at the measured single-model rate). --images trains on the first N training images only
/// (and the same share of the test images): a shorter measurement on a busy machine; the projection scales the measured
/// epochs to the whole set.
/// </summary>
internal static class GroupStudyCommand
{
    private const int Batch = 128, Seed = 1, FullEpochs = 30, RangeTestSteps = 2 * 2345;

    private static readonly double[] Sgd = [0.0046401, 0.01271, 0.05044, 0.2161];
    private static readonly double[] Adam = [6.291e-5, 2.0318e-4, 6.6401e-4, 5.4723e-3];

    public static int Run(IReadOnlyList<string> args)
    {
        string? data = null;
        var (epochs, threads, images) = (2, 2, int.MaxValue);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--epochs": epochs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--images": images = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'; use --data DIR, --epochs N, --threads N or --images N.");
            }
        }

        var run = RunData.Load(data);
        var full = run.Train.Count;
        var subset = Prefix(run.Train, Math.Min(images, full));
        var testSubset = Prefix(run.Test, (int)((long)run.Test.Count * subset.Count / full));
        var cells = Cells(epochs);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{cells.Count} cells, {subset.Count:N0} of {full:N0} train / {testSubset.Count:N0} of {run.Test.Count:N0} test images of {run.Directory}, batch {Batch}, {epochs} epochs, managed backend with {threads} threads"));

        var train = new BatchLoader(subset, Batch, shuffle: true, Seed);
        var test = new BatchLoader(testSubset, Batch, shuffle: false);
        using var backend = new CpuBackend(threads);
        var alone = new double[epochs];
        var aloneAccuracy = new List<double>();
        foreach (var options in cells)
        {
            using var trainer = new Trainer(backend, options, run.Train.Height);
            var history = trainer.Fit(train, test, new CompositeMetricSink());
            for (var e = 0; e < epochs; e++)
            {
                alone[e] += (history[e].Elapsed - (e == 0 ? TimeSpan.Zero : history[e - 1].Elapsed)).TotalSeconds;
            }

            aloneAccuracy.Add(history[^1].TestAccuracy);
        }

        var grouped = new double[epochs];
        using (var trainer = new GroupTrainer(backend, cells, run.Train.Height))
        {
            var histories = trainer.Fit(train, test, [.. cells.Select(_ => (IMetricSink)new CompositeMetricSink())]);
            for (var e = 0; e < epochs; e++)
            {
                var h = histories.First(x => x.Count == epochs);
                grouped[e] = (h[e].Elapsed - (e == 0 ? TimeSpan.Zero : h[e - 1].Elapsed)).TotalSeconds;
            }

            var same = histories.Select((h, k) => h.Count == epochs && h[^1].TestAccuracy == aloneAccuracy[k]).All(x => x);
            Console.WriteLine($"final test accuracies identical alone and grouped: {same}");
        }

        Console.WriteLine();
        Console.WriteLine("| epoch | 16 cells one after another (s) | 16 cells as one group (s) | speed-up |");
        Console.WriteLine("|---:|---:|---:|---:|");
        for (var e = 0; e < epochs; e++)
        {
            Console.WriteLine(string.Create(c, $"| {e + 1} | {alone[e]:F1} | {grouped[e]:F1} | {alone[e] / grouped[e]:F2}x |"));
        }

        var scale = (double)full / subset.Count;   // train and test subsets are the same share of their sets
        var (aloneEpoch, groupEpoch) = (alone.Average() * scale, grouped.Average() * scale);
        var rangeTests = RangeTestSteps * (aloneEpoch / cells.Count) / (train.BatchCount * scale);
        Console.WriteLine();
        Console.WriteLine(string.Create(c,
            $"projected {FullEpochs}-epoch study with both range tests ({rangeTests:F0} s): one after another {(FullEpochs * aloneEpoch + rangeTests) / 60:F1} min, " +
            $"grouped {(FullEpochs * groupEpoch + rangeTests) / 60:F1} min"));
        return 0;
    }

    private static MnistDataset Prefix(MnistDataset d, int count) =>
        count == d.Count ? d : new MnistDataset(d.Images[..(count * d.ImageSize)], d.Labels[..count], d.Height, d.Width);

    private static List<TrainingOptions> Cells(int epochs) =>
        [.. new[] { (OptimizerKind.Sgd, Sgd), (OptimizerKind.Adam, Adam) }.SelectMany(o =>
            new[] { false, true }.SelectMany(step => o.Item2.Select(lr => new TrainingOptions
            {
                Optimizer = o.Item1,
                Schedule = step ? new StepLr(lr, 1, 0.5) : new FixedLr(lr),
                Epochs = epochs, Batch = Batch, Seed = Seed,
            })))];
}
