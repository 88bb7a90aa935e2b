using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.LrFinder;

/// <summary>
/// Runs an <see cref="LrFindRequest"/> end to end: loads the data, runs <see cref="LrRangeTest"/> with a progress
/// bar, reads the suggestions, prints them, and writes the run folder atomically: curve.csv, lr-find.png,
/// summary.json and a TensorBoard event file (LR/train, Loss/train per step, Loss/test per pass). A curve with no
/// band still leaves its folder (so the plot shows why) and then throws <see cref="LrBandException"/>.
/// </summary>
public static class LrFindRun
{
    /// <summary>The files a range test leaves in its folder.</summary>
    public const string CurveFile = "curve.csv", PlotFile = "lr-find.png";

    /// <param name="request">What to run.</param>
    /// <param name="log">Where the header and the suggestions go.</param>
    /// <param name="progress">Show a progress bar for the sweep on standard output.</param>
    public static LrFindSummary Execute(LrFindRequest request, TextWriter log, bool progress = false)
    {
        var (training, sweep) = (request.Training(), request.Sweep);
        var data = RunData.Load(request.DataDirectory);
        data.CheckBatch(training.Batch);
        var from = request.From is null ? null : RunCheckpoints.Find(request.From);
        var start = from is null ? null : CheckpointFile.Read(from);
        using var backend = Backends.Create(request.Device, request.Threads);
        using var folder = RunFolder.Create(request.OutputDirectory ?? request.DefaultOutputDirectory());
        var optimizer = OptionNames.Of(training.Optimizer);
        var c = CultureInfo.InvariantCulture;
        log.WriteLine($"LR range test of LeNet-5 on {backend.Name}, data {data.Directory}: {data.Train.Count:N0} train / {data.Test.Count:N0} test images");
        log.WriteLine(string.Create(c, $"{optimizer}, lr {sweep.Start:0.##e+00} to {sweep.End:0.##e+00} ({sweep.Mode.ToString().ToLowerInvariant()}) over {sweep.Steps} steps, batch {training.Batch}, seed {training.Seed}"));

        var clock = Stopwatch.StartNew();
        var train = new BatchLoader(data.Train, training.Batch, shuffle: true, training.Seed);
        var test = new BatchLoader(data.Test, training.Batch, shuffle: false);
        LrRangeTestResult result;
        using (var trainer = new Trainer(backend, training, data.Train.Height))
        using (var sink = new TensorBoardEventWriter(folder.WorkingPath))
        using (var bar = progress ? ConsoleProgress.ForConsole($"lr-find {optimizer}", sweep.Steps, "step") : null)
        {
            if (start is not null)
            {
                TrainingRun.CheckModel(start, trainer, data.Train.Height);
                trainer.Model.WriteParameters(start.Parameters);   // trained weights; the optimizer's state starts afresh
                log.WriteLine($"starting from the parameters of {from} (epoch {start.Epoch})");
            }

            result = LrRangeTest.Run(trainer, train, test, sweep, sink, bar is null ? null : () => bar.Advance());
            if (result.StopReason == LrStopReason.Completed)
            {
                bar?.Complete();
            }
        }

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
            backend.Name, data.Directory, optimizer, training.Batch, training.Seed, sweep, result.Points.Count, result.StopReason, last.Lr,
            suggestions, error, result.Passes, clock.Elapsed.TotalSeconds, folder.FinalPath);
        LrCurveFiles.WriteCsv(folder.PathOf(CurveFile), result.Points);
        LrCurveFiles.WritePlot(folder.PathOf(PlotFile), $"LR range test: LeNet-5, {optimizer}", result.Points, suggestions);
        RunJson.Write(folder.PathOf(TrainingRun.SummaryFile), summary);
        folder.Complete();
        log.WriteLine(Describe(summary));
        return error is null ? summary : throw new LrBandException($"{error} The curve is in {folder.FinalPath}.");
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
