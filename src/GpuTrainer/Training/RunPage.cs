using System.Globalization;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Reports;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Training;

/// <summary>
/// A finished run's <see cref="ReportPage"/> (report.html in its folder): its curves (Loss/train per step, the
/// per-epoch metrics), its summary as a one-row table and its provenance. Written by <see cref="RunOutputs"/> before the
/// folder moves into place, so every run folder, a study's cells included, carries one.
/// </summary>
internal static class RunPage
{
    public static void Write(string path, RunSummary s, TrainingRun.ResolvedRun run, IReadOnlyList<MetricRow> metrics)
    {
        var c = CultureInfo.InvariantCulture;
        var history = s.History;
        var batches = (double)BatchLoader.CountBatches(s.TrainImages, s.Batch);
        var steps = metrics.Where(m => m.Tag == MetricTags.LossTrain).ToList();
        var name = Path.GetFileName(s.OutputDirectory);
        var runModel = new RunModel(
            name, s.Optimizer, run.Recipe.Schedule, 1, run.Recipe.Lr, "ok", null, "./", 0,
            s.BestAccuracy, s.BestEpoch, s.FinalAccuracy, s.FinalTrainLoss, s.FinalTestLoss, s.Seconds,
            ReportPage.Series(history.Select(h => (double)h.Epoch)), ReportPage.Series(history.Select(h => h.TestAccuracy)),
            ReportPage.Series(history.Select(h => h.TestLoss)), ReportPage.Series(history.Select(h => h.TrainLoss)),
            ReportPage.Series(history.Select(h => h.LearningRate)),
            ReportPage.Series(steps.Select(m => m.Step / batches)), ReportPage.Series(steps.Select(m => m.Value)));
        var end = DateTime.UtcNow;
        List<IReadOnlyList<string>> provenance =
        [
            ["version", "gputrainer " + ReportPage.Version],
            ["device", s.Device],
            ["data", string.Create(c, $"{s.Data} ({s.TrainImages:N0} train / {s.TestImages:N0} test images)")],
            ["seed", s.Seed.ToString(c)],
            ["recipe", string.Create(c, $"{s.Optimizer}, {run.Description}, {s.Epochs} epochs, batch {s.Batch}")],
            ["started", (end - TimeSpan.FromSeconds(s.Seconds)).ToString("u", c)],
            ["ended", end.ToString("u", c)],
        ];
        var model = new ReportModel(
            string.Create(c, $"{run.Model.Label} run: {s.Optimizer}, {s.Schedule}"),
            string.Create(c, $"Finished {s.Epochs} epochs: best test accuracy {s.BestAccuracy * 100:F2}% (epoch {s.BestEpoch}), final {s.FinalAccuracy * 100:F2}%."),
            null, provenance, [], [runModel], null);
        ReportPage.Write(path, model);
    }
}
