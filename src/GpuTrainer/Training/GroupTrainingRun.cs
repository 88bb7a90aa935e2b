using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Training;

/// <summary>How one run of a group ended: its summary (finished) or its divergence, which carries the metrics it logged.</summary>
/// <param name="Summary">The finished run's summary; null when it diverged.</param>
/// <param name="Diverged">Why it diverged, with its partial metrics (<see cref="TrainingDivergedException.Metrics"/>); null when it finished.</param>
public sealed record GroupRunOutcome(RunSummary? Summary, TrainingDivergedException? Diverged);

/// <summary>
/// Several <see cref="RunRequest"/>s trained as model groups (<see cref="GroupTrainer"/>): the data is loaded once and every
/// run trains on the same batches in one pass; each run's folder is written exactly as <see cref="TrainingRun.Continue"/>
/// writes it: metrics.csv, a TensorBoard event file, a checkpoint after every epoch and summary.json. As there, a run
/// whose partial folder holds a checkpoint goes on from it (runs continued from different epochs train as separate
/// groups, one per epoch), and a run that diverges leaves no folder and comes back with its message and the metrics
/// it logged. The requests must share data, device, threads, batch, seed and epochs.
/// </summary>
public static class GroupTrainingRun
{
    /// <param name="requests">The runs, one model each.</param>
    /// <param name="log">Where the header and the per-epoch lines go.</param>
    /// <param name="label">How the log and the progress display name the group, e.g. "group 1/2".</param>
    /// <param name="progress">Show a live bar per epoch (the group's cells, epoch and ETA) when standard output is a terminal.</param>
    /// <returns>Every run's outcome, in the requests' order.</returns>
    public static IReadOnlyList<GroupRunOutcome> Continue(IReadOnlyList<RunRequest> requests, TextWriter log, string label = "group", bool progress = false)
    {
        var first = requests.Count > 0 ? requests[0] : throw new ArgumentException("A group needs at least one run.");
        if (requests.Any(r => r.DataDirectory != first.DataDirectory || r.Device != first.Device || r.Threads != first.Threads))
        {
            throw new ArgumentException("The runs of a group must share the data, the device and the thread count.");
        }

        foreach (var request in requests)
        {
            request.Validate();
        }

        var data = RunData.Load(first.DataDirectory);
        var runs = requests.Select(r => TrainingRun.Resolve(r, data)).ToList();
        data.CheckBatch(runs[0].Options.Batch);
        using var backend = Backends.Create(first.Device, first.Threads);
        var opened = new List<(RunFolder Folder, Checkpoint? Checkpoint)>();
        try
        {
            foreach (var request in requests)
            {
                opened.Add(TrainingRun.OpenToContinue(request));
            }

            var outcomes = new GroupRunOutcome[requests.Count];
            foreach (var part in Enumerable.Range(0, requests.Count).GroupBy(i => opened[i].Checkpoint?.Epoch ?? 0).OrderBy(g => g.Key))
            {
                var members = part.ToList();
                var outputs = members.Select(i => new RunOutputs(runs[i], data, opened[i].Folder, opened[i].Checkpoint)).ToList();
                try
                {
                    var ended = Train(outputs, data, backend, log, label, progress);
                    for (var m = 0; m < members.Count; m++)
                    {
                        outcomes[members[m]] = ended[m];
                    }
                }
                finally
                {
                    outputs.ForEach(o => o.Dispose());
                }
            }

            return outcomes;
        }
        finally
        {
            opened.ForEach(o => o.Folder.Dispose());
        }
    }

    // One group: every member continues from the same epoch.
    private static GroupRunOutcome[] Train(IReadOnlyList<RunOutputs> outputs, RunData data, IBackend backend, TextWriter log, string label, bool progress)
    {
        var options = outputs[0].Run.Options;
        var names = outputs.Select(o => Path.GetFileName(o.Folder.FinalPath)).ToList();
        TrainingRun.WriteHeader(
            log, $"{label}: {outputs.Count} {TrainingRun.ModelName} models ({Nn.LeNet5.ParameterCount:N0} parameters each) trained together", backend.Name,
            data, options, string.Join("; ", outputs.Select(o => $"{OptionNames.Of(o.Run.Options.Optimizer)}, {o.Run.Description}")));
        var trainLoader = new BatchLoader(data.Train, options.Batch, shuffle: true, options.Seed);
        var testLoader = new BatchLoader(data.Test, options.Batch, shuffle: false);
        using var trainer = new GroupTrainer(backend, [.. outputs.Select(o => o.Run.Options)], data.Train.Height);
        for (var k = 0; k < outputs.Count; k++)
        {
            if (outputs[k].Resume(trainer.Group.ParameterCount, trainer.Optimizer.Name(k)) is { } snapshot)
            {
                trainer.Restore(k, snapshot);
                log.WriteLine($"  {names[k]}: resumed from {RunCheckpoints.FileName(outputs[k].FirstEpoch)} after epoch {outputs[k].FirstEpoch}");
            }
        }

        var sinks = outputs.Select(o => o.OpenSink()).ToList();
        ConsoleProgress? bar = null;
        var (firstEpoch, epoch) = (outputs[0].FirstEpoch, outputs[0].FirstEpoch);
        var clock = Stopwatch.StartNew();
        void AfterBatch() => (bar ??= ConsoleProgress.ForConsole(
            Heading(label, trainer, epoch, options.Epochs, epoch == firstEpoch ? null : clock.Elapsed / (epoch - firstEpoch)), trainLoader.BatchCount, "batch")).Advance();
        void OnEpoch(int k, EpochResult r)
        {
            bar?.Dispose();
            bar = null;
            epoch = r.Epoch;
            log.WriteLine($"  {names[k]}: {TrainingRun.Describe(r, options.Epochs)}");
            outputs[k].EndEpoch(r, trainer.Snapshot(k), trainer.Optimizer.Name(k));
        }

        trainer.Fit(trainLoader, testLoader, sinks, OnEpoch, progress && !Console.IsOutputRedirected ? AfterBatch : null, epoch);
        bar?.Dispose();
        return [.. outputs.Select((o, k) =>
        {
            if (trainer.Error(k) is { } error)
            {
                log.WriteLine($"  {names[k]} diverged: {error}");
                return new GroupRunOutcome(null, o.Diverged(error));
            }

            var summary = o.Complete(backend.Name);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {names[k]}: best test accuracy {summary.BestAccuracy * 100:F2}% (epoch {summary.BestEpoch})"));
            return new GroupRunOutcome(summary, null);
        })];
    }

    // "group 1/2: 16 cells (15 training), epoch 4/30, group ETA 0:41:10" for the progress bar, which adds the epoch's batches and ETA.
    private static string Heading(string label, GroupTrainer trainer, int epochsDone, int epochs, TimeSpan? perEpoch)
    {
        var training = Enumerable.Range(0, trainer.Models).Count(k => trainer.Error(k) is null);
        var heading = string.Create(CultureInfo.InvariantCulture, $"{label}: {trainer.Models} cells ({training} training), epoch {epochsDone + 1}/{epochs}");
        return perEpoch is { } t ? string.Create(CultureInfo.InvariantCulture, $"{heading}, group ETA {t * (epochs - epochsDone):h\\:mm\\:ss}") : heading;
    }
}
