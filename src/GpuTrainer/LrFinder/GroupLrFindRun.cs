using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>
/// Several <see cref="LrFindRequest"/>s (a study's optimizers) as one model group (<see cref="GroupLrRangeTest"/>): the data
/// is loaded once, every sweep runs on the same batches in one pass, and each folder is written as <see cref="LrFindRun"/>
/// writes it. The requests must share the sweep, data, device, threads, batch and seed, and start afresh (no From).
/// </summary>
public static class GroupLrFindRun
{
    /// <summary>Every request's summary, in order; after writing them all, throws <see cref="LrBandException"/> for the first curve without a band.</summary>
    public static IReadOnlyList<LrFindSummary> Execute(IReadOnlyList<LrFindRequest> requests, TextWriter log, bool progress = false)
    {
        var first = requests.Count > 0 ? requests[0] : throw new ArgumentException("A group needs at least one range test.");
        if (requests.Any(r => r.Sweep != first.Sweep || r.DataDirectory != first.DataDirectory || r.Device != first.Device || r.Threads != first.Threads || r.From is not null))
        {
            throw new ArgumentException("The range tests of a group must share the sweep, the data, the device and the thread count, and start from a fresh initialisation.");
        }

        var trainings = requests.Select(r => r.Training()).ToList();
        var (sweep, training) = (first.Sweep, trainings[0]);
        var data = RunData.Load(first.DataDirectory);
        data.CheckBatch(training.Batch);
        using var backend = Backends.Create(first.Device, first.Threads);
        var folders = new List<RunFolder>();
        var sinks = new List<TensorBoardEventWriter>();
        try
        {
            foreach (var request in requests)
            {
                folders.Add(RunFolder.Create(request.OutputDirectory ?? request.DefaultOutputDirectory()));
                sinks.Add(new TensorBoardEventWriter(folders[^1].WorkingPath));
            }

            var names = string.Join(", ", trainings.Select(t => OptionNames.Of(t.Optimizer)));
            log.WriteLine($"LR range tests of LeNet-5 ({names}) as one group on {backend.Name}, data {data.Directory}: {data.Train.Count:N0} train / {data.Test.Count:N0} test images");
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lr {sweep.Start:0.##e+00} to {sweep.End:0.##e+00} ({sweep.Mode.ToString().ToLowerInvariant()}) over {sweep.Steps} steps, batch {training.Batch}, seed {training.Seed}"));
            var clock = Stopwatch.StartNew();
            var train = new BatchLoader(data.Train, training.Batch, shuffle: true, training.Seed);
            var test = new BatchLoader(data.Test, training.Batch, shuffle: false);
            IReadOnlyList<LrRangeTestResult> results;
            using (var trainer = new GroupTrainer(backend, trainings, data.Train.Height))
            using (var bar = progress ? ConsoleProgress.ForConsole($"lr-find {names} ({requests.Count} as one group)", sweep.Steps, "step") : null)
            {
                results = GroupLrRangeTest.Run(trainer, train, test, sweep, [.. sinks], bar is null ? null : () => bar.Advance());
            }

            sinks.ForEach(s => s.Dispose());
            sinks.Clear();
            var summaries = requests.Select((r, k) =>
                LrFindRun.Finish(r, backend.Name, data.Directory, folders[k], results[k], clock.Elapsed.TotalSeconds, log)).ToList();
            var failed = summaries.FirstOrDefault(s => s.Error is not null);
            return failed is null ? summaries : throw new LrBandException($"{failed.Error} The curve is in {failed.OutputDirectory}.");
        }
        finally
        {
            sinks.ForEach(s => s.Dispose());
            folders.ForEach(f => f.Dispose());
        }
    }
}
