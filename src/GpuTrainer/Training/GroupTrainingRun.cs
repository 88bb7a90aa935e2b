using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;

namespace GpuTrainer.Training;

/// <summary>How one run of a group ended: its summary (finished) or why it diverged with the epochs it completed.</summary>
/// <param name="Summary">The finished run's summary; null when it diverged.</param>
/// <param name="Error">The divergence message; null when it finished.</param>
/// <param name="History">Every epoch it completed (the partial metrics of a diverged run).</param>
public sealed record GroupRunOutcome(RunSummary? Summary, string? Error, IReadOnlyList<EpochResult> History);

/// <summary>
/// Runs several <see cref="RunRequest"/>s as one <see cref="GroupTrainer"/>: the data is loaded once, every run trains on
/// the same batches in one pass, and each finished run's folder is written atomically exactly as
/// <see cref="TrainingRun"/> writes it (metrics.csv, a TensorBoard event file, summary.json). A run that diverges
/// leaves no folder (as a lone one) and comes back with its message and partial history. The requests must share
/// data, device, threads, batch, seed and epochs.
/// </summary>
public static class GroupTrainingRun
{
    /// <param name="requests">The runs, one model each.</param>
    /// <param name="log">Where the header and the per-epoch lines go.</param>
    /// <param name="label">How the progress display names the group, e.g. "group 1/2".</param>
    /// <param name="progress">Show a live bar per epoch (the group's cells, epoch and ETA) when standard output is a terminal.</param>
    public static IReadOnlyList<GroupRunOutcome> Execute(IReadOnlyList<RunRequest> requests, TextWriter log, string label = "group", bool progress = false)
    {
        var first = requests.Count > 0 ? requests[0] : throw new ArgumentException("A group needs at least one run.");
        if (requests.Any(r => r.DataDirectory != first.DataDirectory || r.Device != first.Device || r.Threads != first.Threads))
        {
            throw new ArgumentException("The runs of a group must share the data, the device and the thread count.");
        }

        var (dataDirectory, train, test) = RunData.Load(first.DataDirectory);
        using var backend = Backends.Create(first.Device, first.Threads);
        var folders = new List<RunFolder>();
        var sinks = new List<IMetricSink>();
        try
        {
            foreach (var request in requests)
            {
                var folder = RunFolder.Create(request.OutputDirectory);
                folders.Add(folder);
                sinks.Add(new CompositeMetricSink(new CsvMetricSink(folder.PathOf("metrics.csv")), new TensorBoardEventWriter(folder.WorkingPath)));
            }

            var options = first.Options;
            log.WriteLine($"{label}: {requests.Count} LeNet-5 models ({Nn.LeNet5.ParameterCount:N0} parameters each) trained together on {backend.Name}");
            log.WriteLine($"data {dataDirectory}: {train.Count:N0} train / {test.Count:N0} test images; batch {options.Batch}, {options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")}, seed {options.Seed}");
            var trainLoader = new BatchLoader(train, options.Batch, shuffle: true, options.Seed);
            var testLoader = new BatchLoader(test, options.Batch, shuffle: false);
            IReadOnlyList<EpochResult>[] histories;
            using (var trainer = new GroupTrainer(backend, [.. requests.Select(r => r.Options)], train.Height))
            {
                ConsoleProgress? bar = null;
                var epochsDone = 0;
                void AfterBatch() => (bar ??= ConsoleProgress.ForConsole(
                    $"{label} ({requests.Count} cells) epoch {epochsDone + 1}/{options.Epochs}", trainLoader.BatchCount, "batch")).Advance();
                void OnEpoch(int k, EpochResult r)
                {
                    bar?.Dispose();
                    bar = null;
                    epochsDone = r.Epoch;
                    log.WriteLine($"  {Path.GetFileName(folders[k].FinalPath)}: {TrainingRun.Describe(r, options.Epochs)}");
                }

                histories = trainer.Fit(trainLoader, testLoader, sinks, OnEpoch, progress && !Console.IsOutputRedirected ? AfterBatch : null);
                bar?.Dispose();
                sinks.ForEach(s => s.Dispose());
                sinks.Clear();
                return [.. requests.Select((request, k) =>
                {
                    if (trainer.Error(k) is { } error)
                    {
                        log.WriteLine($"  {Path.GetFileName(folders[k].FinalPath)} diverged: {error}");
                        return new GroupRunOutcome(null, error, histories[k]);
                    }

                    var summary = TrainingRun.Summarize(request, backend.Name, dataDirectory, train.Count, test.Count, folders[k], histories[k]);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {Path.GetFileName(folders[k].FinalPath)}: best test accuracy {summary.BestAccuracy * 100:F2}% (epoch {summary.BestEpoch})"));
                    return new GroupRunOutcome(summary, null, histories[k]);
                })];
            }
        }
        finally
        {
            sinks.ForEach(s => s.Dispose());
            folders.ForEach(f => f.Dispose());
        }
    }
}
