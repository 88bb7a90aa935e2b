using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.LrFinder;

/// <summary>
/// Runs <see cref="LrFindRequest"/>s end to end (a study's optimizers: one model with a member each; the CLI's lr-find: one):
/// loads the data once, runs <see cref="LrRangeTest"/> with a progress bar, reads each member's suggestions, prints them,
/// and writes each run folder atomically: curve.csv, lr-find.png, summary.json and a TensorBoard event file (LR/train,
/// Loss/train per step, Loss/test per pass). A curve with no band still leaves its folder (so the plot shows why); after
/// every folder is written, the first such curve throws <see cref="LrBandException"/>. The requests must share the
/// sweep, data, device, threads, batch and seed.
/// </summary>
public static class LrFindRun
{
    /// <summary>The files a range test leaves in its folder.</summary>
    public const string CurveFile = "curve.csv", PlotFile = "lr-find.png";

    /// <param name="requests">What to run, one member each.</param>
    /// <param name="log">Where the header and the suggestions go.</param>
    /// <param name="progress">Show a progress bar for the sweep on standard output.</param>
    /// <returns>Every request's summary, in order.</returns>
    public static IReadOnlyList<LrFindSummary> Execute(IReadOnlyList<LrFindRequest> requests, TextWriter log, bool progress = false)
    {
        var first = requests.Count > 0 ? requests[0] : throw new ArgumentException("A range test needs at least one request.");
        if (requests.Any(r => r.Sweep != first.Sweep || r.DataDirectory != first.DataDirectory || r.Device != first.Device || r.Threads != first.Threads || r.Model != first.Model))
        {
            throw new ArgumentException("The range tests of a group must share the sweep, the model, the data, the device and the thread count.");
        }

        var trainings = requests.Select(r => r.Training()).ToList();
        var (sweep, training, model) = (first.Sweep, trainings[0], first.ResolveModel());
        var data = RunData.Load(first.DataDirectory);
        data.CheckBatch(training.Batch);
        data.CheckModel(model, training.Batch);
        var starts = requests.Select(r => r.From is null ? null : RunCheckpoints.Find(r.From)).ToList();
        var checkpoints = starts.Select(path => path is null ? null : CheckpointFile.Read(path)).ToList();
        using var backend = Backends.Create(first.Device, first.Threads);
        data.CheckModel(model, training.Batch, requests.Count, backend);
        for (var k = 0; k < requests.Count; k++)
        {
            if (checkpoints[k] is { } start)
            {
                TrainingRun.CheckModel(start, model, (int)model.ParameterCount(data.Shape, data.Classes), data.Train.Height);
            }
        }

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
            log.WriteLine($"LR range test{(requests.Count == 1 ? "" : "s")} of {model.Label} ({names}{(requests.Count == 1 ? "" : $", {requests.Count} as one group")}) on {backend.Name}, data {data.Directory}: {data.Train.Count:N0} train / {data.Test.Count:N0} test images");
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lr {sweep.Start:0.##e+00} to {sweep.End:0.##e+00} ({sweep.Mode.ToString().ToLowerInvariant()}) over {sweep.Steps} steps, batch {training.Batch}, seed {training.Seed}"));
            var clock = Stopwatch.StartNew();
            var train = new BatchLoader(data.Train, training.Batch, shuffle: true, training.Seed);
            var test = new BatchLoader(data.Test, training.Batch, shuffle: false);
            IReadOnlyList<LrRangeTestResult> results;
            using (var trainer = new Trainer(backend, trainings, model, data.Shape, data.Classes))
            using (var bar = progress ? ConsoleProgress.ForConsole($"lr-find {names}", sweep.Steps, "step") : null)
            {
                for (var k = 0; k < requests.Count; k++)
                {
                    if (checkpoints[k] is { } start)
                    {
                        trainer.Model.WriteParameters(k, start.Parameters);   // trained weights; the optimizer's state starts afresh
                        log.WriteLine($"starting from the parameters of {starts[k]} (epoch {start.Epoch})");
                    }
                }

                results = LrRangeTest.Run(trainer, train, test, sweep, [.. sinks], bar is null ? null : () => bar.Advance());
                if (results.All(r => r.StopReason == LrStopReason.Completed))
                {
                    bar?.Complete();
                }
            }

            sinks.ForEach(s => s.Dispose());
            sinks.Clear();
            var summaries = requests.Select((r, k) => Finish(r, trainings[k], model.Label, backend.Name, data.Directory, folders[k], results[k], clock.Elapsed.TotalSeconds, log)).ToList();
            var failed = summaries.FirstOrDefault(s => s.Error is not null);
            return failed is null ? summaries : throw new LrBandException($"{failed.Error} The curve is in {failed.OutputDirectory}.");
        }
        finally
        {
            sinks.ForEach(s => s.Dispose());
            folders.ForEach(f => f.Dispose());
        }
    }

    /// <summary>
    /// Reads the suggestions off a finished sweep, writes curve.csv, lr-find.png and summary.json, completes the folder
    /// and prints the summary; a curve without a band comes back with its <see cref="LrFindSummary.Error"/> set.
    /// </summary>
    internal static LrFindSummary Finish(
        LrFindRequest request, TrainingOptions training, string modelLabel, string device, string dataDirectory, RunFolder folder, LrRangeTestResult result, double seconds, TextWriter log)
    {
        var sweep = request.Sweep;
        var optimizer = OptionNames.Of(training.Optimizer);
        LrSuggestions? suggestions = null;
        string? error = null;
        try
        {
            suggestions = LrSuggester.Suggest(result.Points, sweep.Candidates);
        }
        catch (LrBandException e)
        {
            error = e.Message;
        }

        var last = result.Points[^1];
        var summary = new LrFindSummary(
            device, dataDirectory, optimizer, training.Batch, training.Seed, sweep, result.Points.Count, result.StopReason, last.Lr,
            suggestions, error, result.Passes, seconds, folder.FinalPath);
        LrCurveFiles.WriteCsv(folder.PathOf(CurveFile), result.Points);
        LrCurveFiles.WritePlot(folder.PathOf(PlotFile), $"LR range test: {modelLabel}, {optimizer}", result.Points, suggestions);
        RunJson.Write(folder.PathOf(TrainingRun.SummaryFile), summary);
        folder.Complete();
        log.WriteLine(Describe(summary));
        return summary;
    }

    /// <summary>How the sweep ended and the suggested rates, one per line.</summary>
    public static string Describe(LrFindSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        var stop = s.StopReason switch
        {
            LrStopReason.Completed => "completed",
            LrStopReason.Diverged => $"stopped: the smoothed loss passed {s.Sweep.DivergenceFactor:G3}x its best",
            _ => "stopped: the loss became non-finite",
        };
        var text = string.Create(c, $"sweep {stop} after {s.StepsRun} steps at lr {s.StopLr:0.00e+00} ({s.Seconds:F1} s)");
        if (s.Suggestions is not { } g)
        {
            return text + Environment.NewLine + "no suggestions: " + s.Error;
        }

        return string.Join(
            Environment.NewLine,
            text,
            $"suggested learning rates ({s.Optimizer}):",
            string.Create(c, $"  steepest   {g.Steepest:0.00e+00}"),
            string.Create(c, $"  min/10     {g.MinimumOverTen:0.00e+00}   (minimum at {g.Minimum:0.00e+00})"),
            string.Create(c, $"  valley     {g.Valley:0.00e+00}"),
            string.Create(c, $"  band       {g.BandLow:0.00e+00} .. {g.BandHigh:0.00e+00}"),
            "  candidates " + string.Join(", ", g.Candidates.Select(lr => lr.ToString("0.00e+00", c))),
            $"outputs in {s.OutputDirectory}");
    }
}
