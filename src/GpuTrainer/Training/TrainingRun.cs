using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;

namespace GpuTrainer.Training;

/// <summary>
/// Runs a <see cref="RunRequest"/> end to end: loads and checks the data, picks the device, trains
/// with a line per epoch on <c>log</c>, and writes the run folder atomically:
/// metrics.csv (tag,step,value), a TensorBoard event file and summary.json. A failure (bad data,
/// missing device, divergence) leaves no folder behind.
/// </summary>
public static class TrainingRun
{
    /// <summary>The name of the summary a finished run leaves in its folder.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The name of the per-step and per-epoch metrics (tag,step,value) in a run's folder.</summary>
    public const string MetricsFile = "metrics.csv";

    /// <param name="request">What to run.</param>
    /// <param name="log">Where the header and the epoch lines go.</param>
    /// <param name="progress">Show a live progress bar per epoch when standard output is a terminal.</param>
    public static RunSummary Execute(RunRequest request, TextWriter log, bool progress = false)
    {
        request.Options.Validate();
        var (dataDirectory, train, test) = RunData.Load(request.DataDirectory);

        using var backend = Backends.Create(request.Device, request.Threads);
        using var folder = RunFolder.Create(request.OutputDirectory);
        var options = request.Options;
        log.WriteLine($"LeNet-5 ({Nn.LeNet5.ParameterCount:N0} parameters) on {backend.Name}");
        log.WriteLine($"data {dataDirectory}: {train.Count:N0} train / {test.Count:N0} test images");
        log.WriteLine($"{options.Optimizer.ToString().ToLowerInvariant()}, {request.Description}, batch {options.Batch}, {options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")}, seed {options.Seed}");

        var trainLoader = new BatchLoader(train, options.Batch, shuffle: true, options.Seed);
        var testLoader = new BatchLoader(test, options.Batch, shuffle: false);
        IReadOnlyList<EpochResult> history;
        using (var trainer = new Trainer(backend, options, train.Height))
        using (var sink = new CompositeMetricSink(new CsvMetricSink(folder.PathOf(MetricsFile)), new TensorBoardEventWriter(folder.WorkingPath)))
        {
            // On a terminal a live bar per epoch; redirected output gets the epoch lines only.
            ConsoleProgress? bar = null;
            void AfterBatch() => (bar ??= ConsoleProgress.ForConsole($"epoch {trainer.Step / trainLoader.BatchCount + 1}", trainLoader.BatchCount, "batch")).Advance();
            void OnEpoch(EpochResult r)
            {
                bar?.Dispose();
                bar = null;
                log.WriteLine(Describe(r, options.Epochs));
            }

            history = trainer.Fit(trainLoader, testLoader, sink, OnEpoch, progress && !Console.IsOutputRedirected ? AfterBatch : null);
        }

        var best = history.MaxBy(r => r.TestAccuracy)!;
        var last = history[^1];
        var summary = new RunSummary(
            backend.Name, dataDirectory, train.Count, test.Count, options.Optimizer.ToString().ToLowerInvariant(), request.Description,
            options.Epochs, options.Batch, options.Seed, folder.FinalPath,
            best.TestAccuracy, best.Epoch, last.TestAccuracy, last.TestLoss, last.TrainLoss, last.Elapsed.TotalSeconds, history);
        RunJson.Write(folder.PathOf(SummaryFile), summary);
        folder.Complete();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best test accuracy {best.TestAccuracy * 100:F2}% (epoch {best.Epoch}); outputs in {folder.FinalPath}"));
        return summary;
    }

    /// <summary>"epoch  3/15  train loss 0.1234  test loss 0.0987  test acc 97.10%  lr 1.37e-03  41,234 img/s  2.9 s".</summary>
    public static string Describe(EpochResult r, int epochs) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {r.Epoch.ToString().PadLeft(epochs.ToString().Length)}/{epochs}  train loss {r.TrainLoss:F4}  test loss {r.TestLoss:F4}  " +
        $"test acc {r.TestAccuracy * 100:F2}%  lr {r.LearningRate:0.00e+00}  {r.ImagesPerSecond:N0} img/s  {r.Elapsed.TotalSeconds:F1} s");
}
