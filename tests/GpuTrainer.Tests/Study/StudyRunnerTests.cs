using System.Globalization;
using GpuTrainer.Logging;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Tests.Training;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;
using GpuTrainer.Tests.Reports;
using Xunit;

namespace GpuTrainer.Tests.Study;

/// <summary>
/// The study end to end on a tiny data set: one optimizer x two schedules x two candidates, two epochs each, at the default
/// --parallel (the four cells as one model group, one array task).
/// </summary>
public sealed class StudyRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public StudyRunnerTests() => _data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ASecondInvocationReusesEveryFinishedRunAndRedoesOnlyTheMissingOne()
    {
        var first = StudyRunner.Execute(Request(_temp.File("study")), TextWriter.Null);
        Assert.Equal((5, 0), (first.Trained, first.Reused));   // the range test and 2 x 2 runs

        var log = new StringWriter();
        var second = StudyRunner.Execute(Request(_temp.File("study")), log);
        Assert.Equal((0, 5), (second.Trained, second.Reused));
        Assert.Contains("reused", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(first.Runs.Select(Key), second.Runs.Select(Key));
        Assert.All(second.Runs, r => Assert.True(r.Reused));

        Directory.Delete(Path.Combine(_temp.File("study"), first.Runs[1].Name), recursive: true);   // as if interrupted during that run
        var third = StudyRunner.Execute(Request(_temp.File("study")), TextWriter.Null);
        Assert.Equal((1, 4), (third.Trained, third.Reused));
        Assert.Equal(first.Runs.Select(Key), third.Runs.Select(Key));
    }

    [Fact]
    public void AnInterruptedCellContinuesFromItsCheckpointAndEndsAsIfNeverInterrupted()
    {
        var whole = StudyRunner.Execute(Request(_temp.File("whole")), TextWriter.Null);
        var oneEpoch = Request(_temp.File("one-epoch"));
        StudyRunner.Execute(oneEpoch with { Epochs = 1 }, TextWriter.Null);

        // The second cell, interrupted after its first epoch: only its partial folder with the epoch-1 checkpoint.
        var cell = whole.Runs[1].Name;
        var study = _temp.File("whole");
        Directory.Delete(Path.Combine(study, cell), recursive: true);
        var partial = Directory.CreateDirectory(Path.Combine(study, StudyFolder.StagingFolder, $".{cell}.{CellWorker.Local.Id}.partial")).FullName;
        File.Copy(Path.Combine(_temp.File("one-epoch"), cell, RunCheckpoints.FileName(1)), Path.Combine(partial, RunCheckpoints.FileName(1)));

        var log = new StringWriter();
        var resumed = StudyRunner.Execute(Request(study), log);

        Assert.Equal((1, 4), (resumed.Trained, resumed.Reused));
        Assert.Contains("resumed from checkpoint-epoch-0001.gtck after epoch 1", log.ToString(), StringComparison.Ordinal);
        var run = resumed.Runs.Single(r => r.Name == cell);
        Assert.Equal(
            whole.Runs[1].Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate)),
            run.Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate)));
        Assert.False(Directory.Exists(partial));
    }

    [Fact]
    public void TheSameSeedGivesTheSameStudy()
    {
        var a = StudyRunner.Execute(Request(_temp.File("a")), TextWriter.Null);
        var b = StudyRunner.Execute(Request(_temp.File("b")), TextWriter.Null);
        Assert.Equal(a.RangeTests[0].Suggestions!.Candidates, b.RangeTests[0].Suggestions!.Candidates);
        Assert.Equal(a.Runs.Select(Key), b.Runs.Select(Key));
        Assert.Equal(
            a.Runs.SelectMany(r => r.Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy))),
            b.Runs.SelectMany(r => r.Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy))));
    }

    [Fact]
    public void ADivergedRunIsRecordedRankedLastAndReusedWithoutRetraining()
    {
        // A range test whose candidates we choose: the study reuses a finished range test, so plant one.
        var folder = _temp.File("diverging");
        var request = Request(folder);
        PlantRangeTest(folder, request.Sweep, [1e-2, 1e6]);

        var result = StudyRunner.Execute(request, TextWriter.Null);

        Assert.Equal(4, result.Runs.Count);
        Assert.Equal([StudyRunStatus.Ok, StudyRunStatus.Ok, StudyRunStatus.Diverged, StudyRunStatus.Diverged], result.Runs.Select(r => r.Status));
        Assert.All(result.Runs.Where(r => r.Status == StudyRunStatus.Diverged), r =>
        {
            Assert.Equal(1e6, r.Lr);
            Assert.Null(r.Summary);
            Assert.Contains("diverged", r.Error, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, r.Name, "diverged.json")));
            var metrics = File.ReadAllLines(Path.Combine(folder, r.Name, TrainingRun.MetricsFile));
            Assert.Equal("tag,step,value", metrics[0]);
            Assert.Contains(metrics, line => line.StartsWith("Loss/train,1,", StringComparison.Ordinal));   // kept up to the divergence
        });
        var report = File.ReadAllText(result.ReportPath);
        Assert.Equal(2, TableRows(report).Count(row => row[^2] == "diverged"));
        var diverged = PageData.Read(PageData.PathIn(folder)).GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "diverged").ToList();
        Assert.Equal(2, diverged.Count);
        Assert.All(diverged, r => Assert.True(r.GetProperty("stepLoss").GetArrayLength() > 0 && r.GetProperty("stepEpoch")[0].GetDouble() is > 0 and < 1));   // its loss up to the divergence, x in epochs

        Assert.Equal(1 + 1 + 2 + 2, RunJsonTests.AssertCamelCaseKeys(folder));   // study.json, the planted range test, 2 summaries, 2 diverged.json

        var again = StudyRunner.Execute(request, TextWriter.Null);
        Assert.Equal((0, 5), (again.Trained, again.Reused));
        Assert.Equal(result.Runs.Select(r => r.Status), again.Runs.Select(r => r.Status));
    }

    [Fact]
    public void TheReportRanksEveryRunAndNamesTheBestWithItsPlots()
    {
        var result = StudyRunner.Execute(Request(_temp.File("report")), TextWriter.Null);
        var report = File.ReadAllText(result.ReportPath);
        Assert.Equal(1 + 1 + 4, RunJsonTests.AssertCamelCaseKeys(_temp.File("report")));   // study.json, the range test's summary, 4 runs'

        var rows = TableRows(report);
        Assert.Equal(result.Runs.Count, rows.Count);
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.Equal(result.Runs.Select(r => r.Name), rows.Select(r => r[^1][1..r[^1].IndexOf(']', StringComparison.Ordinal)]));
        var best = rows.Select(r => double.Parse(r[4][..r[4].IndexOf('%', StringComparison.Ordinal)], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(best.OrderDescending(), best);
        Assert.Contains($"**Overall: sgd + {result.Runs[0].Schedule} at lr {result.Runs[0].Lr.ToString("0.00e+00", CultureInfo.InvariantCulture)}", report, StringComparison.Ordinal);
        foreach (var plot in new[] { "loss-train-steps-sgd.png", "accuracy-test-sgd.png", "loss-train-sgd.png", "loss-test-sgd.png", "lr-train-sgd.png" })
        {
            Assert.Contains($"]({plot})", report, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_temp.File("report"), plot)), plot);
        }

        Assert.Contains("](report.html)", report, StringComparison.Ordinal);
        var page = PageData.Read(PageData.PathIn(_temp.File("report")));
        Assert.Equal(result.Runs.Select(r => r.Name), page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.All(page.GetProperty("runs").EnumerateArray(), r =>
        {
            Assert.Equal("ok", r.GetProperty("status").GetString());
            Assert.Equal(Request(_temp.File("x")).Epochs, r.GetProperty("testAccuracy").GetArrayLength());
            Assert.True(r.GetProperty("stepLoss").GetArrayLength() > r.GetProperty("epoch").GetArrayLength());
        });
        var rangeTest = page.GetProperty("rangeTests").EnumerateArray().Single();
        Assert.Equal(rangeTest.GetProperty("lr").GetArrayLength(), rangeTest.GetProperty("smoothed").GetArrayLength());
        Assert.Equal(2, page.GetProperty("reference").GetProperty("rows").GetArrayLength());   // sgd x (fixed, step)
        Assert.Contains(page.GetProperty("provenance").EnumerateArray(), row => row[0].GetString() == "version" && row[1].GetString()!.StartsWith("gputrainer ", StringComparison.Ordinal));
        Assert.All(result.Runs, r => PageData.Read(PageData.PathIn(Path.Combine(_temp.File("report"), r.Name))));   // every run folder has its page
    }

    [Fact]
    public void CellsTrainedAsOneGroupEndAsCellsTrainedOneAfterAnother()
    {
        StudyResult Study(string name, int parallel)
        {
            var folder = _temp.File(name);
            var request = Request(folder) with { Threads = 2, Parallel = parallel };
            PlantRangeTest(folder, request.Sweep, [1e-2, 1e6]);
            return StudyRunner.Execute(request, TextWriter.Null);
        }

        var alone = Study("alone", parallel: 1);
        var grouped = Study("grouped", parallel: 4);

        Assert.Equal(["0", "0", "0", "0"], File.ReadAllLines(Path.Combine(_temp.File("grouped"), StudyFolder.ManifestFile)).Skip(1).Select(l => l.Split('\t')[1]));
        Assert.Equal(["0", "1", "2", "3"], File.ReadAllLines(Path.Combine(_temp.File("alone"), StudyFolder.ManifestFile)).Skip(1).Select(l => l.Split('\t')[1]));
        Assert.Equal(alone.Runs.Select(Key), grouped.Runs.Select(Key));
        Assert.Equal(alone.Runs.Select(r => r.Error), grouped.Runs.Select(r => r.Error));
        Assert.Equal(2, grouped.Runs.Count(r => r.Status == StudyRunStatus.Diverged));
        Assert.Equal(
            alone.Runs.Where(r => r.Summary is not null).SelectMany(r => r.Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate))),
            grouped.Runs.Where(r => r.Summary is not null).SelectMany(r => r.Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate))));
        foreach (var run in grouped.Runs)   // the diverged cells' metrics too: their partial history up to the divergence
        {
            Assert.Equal(
                File.ReadAllText(Path.Combine(_temp.File("alone"), run.Name, TrainingRun.MetricsFile)),
                File.ReadAllText(Path.Combine(_temp.File("grouped"), run.Name, TrainingRun.MetricsFile)));
        }
    }

    [Fact]
    public void CellsOfAGroupContinueFromTheirOwnCheckpoints()
    {
        var whole = StudyRunner.Execute(Request(_temp.File("whole")) with { Parallel = 4 }, TextWriter.Null);
        StudyRunner.Execute(Request(_temp.File("one-epoch")) with { Epochs = 1, Parallel = 4 }, TextWriter.Null);

        // Cells 0 and 2 interrupted after their first epoch (a checkpoint in their staging folders), cell 3 before it (nothing).
        var study = _temp.File("whole");
        var partials = new List<string>();
        foreach (var cell in new[] { 0, 2, 3 }.Select(i => whole.Runs[i].Name))
        {
            Directory.Delete(Path.Combine(study, cell), recursive: true);
            if (cell != whole.Runs[3].Name)
            {
                var partial = Directory.CreateDirectory(Path.Combine(study, StudyFolder.StagingFolder, $".{cell}.{CellWorker.Local.Id}.partial")).FullName;
                File.Copy(Path.Combine(_temp.File("one-epoch"), cell, RunCheckpoints.FileName(1)), Path.Combine(partial, RunCheckpoints.FileName(1)));
                partials.Add(partial);
            }
        }

        var log = new StringWriter();
        var resumed = StudyRunner.Execute(Request(study) with { Parallel = 4 }, log);

        Assert.Equal((3, 2), (resumed.Trained, resumed.Reused));
        Assert.Equal(2, log.ToString().Split('\n').Count(l => l.Contains("resumed from checkpoint-epoch-0001.gtck after epoch 1", StringComparison.Ordinal)));
        Assert.Equal(whole.Runs.Select(Key), resumed.Runs.Select(Key));
        Assert.Equal(
            whole.Runs.SelectMany(r => r.Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate))),
            resumed.Runs.SelectMany(r => r.Summary!.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate))));
        Assert.All(partials, p => Assert.False(Directory.Exists(p)));
    }

    [Fact]
    public void TheReportShowsTheReferenceStudyBesideOurs()
    {
        var result = StudyRunner.Execute(Request(_temp.File("beside")), TextWriter.Null);
        var report = File.ReadAllText(result.ReportPath);
        var c = CultureInfo.InvariantCulture;

        var section = report[report.IndexOf("## Beside the reference study", StringComparison.Ordinal)..report.IndexOf("## Range tests", StringComparison.Ordinal)];
        Assert.Contains("departs from the reference study's recipe: optimizers sgd (reference: sgd, adam);", section, StringComparison.Ordinal);
        Assert.Contains("schedule stepped per epoch (reference: batch); epochs 2 (reference: 30)", section, StringComparison.Ordinal);
        var ours = string.Join(", ", result.RangeTests[0].Suggestions!.Candidates.Select(x => x.ToString("0.00e+00", c)));
        var best = result.Runs.First(r => r.Schedule == "step");
        Assert.Contains(
            $"| sgd | {ours} | 4.64e-03, 1.27e-02, 5.04e-02, 2.16e-01 | step | {best.Lr.ToString("0.00e+00", c)} | {(best.Summary!.BestAccuracy * 100).ToString("F2", c)}% | 2.16e-01 |",
            section, StringComparison.Ordinal);
        Assert.Contains("| fixed |", section, StringComparison.Ordinal);
        Assert.Contains("| 1.27e-02 |", section, StringComparison.Ordinal);
        Assert.Contains("the reference's about 98.9% (full MNIST)", section, StringComparison.Ordinal);

        // The phase that reports a study folder reads the recipe back from study.json: the same section.
        var again = StudyReporter.Report(_temp.File("beside"), TextWriter.Null);
        Assert.Equal(report, File.ReadAllText(again.ReportPath));
    }

    [Fact]
    public void AStudyStepsItsSchedulesPerBatch()
    {
        var request = Request(_temp.File("per-batch")) with
        {
            Schedules = [NamedSchedule.Of("step", new ScheduleOptions { StepSize = 2, Gamma = 0.5 })],
            ScheduleUnit = ScheduleUnit.Batch,
        };
        var result = StudyRunner.Execute(request, TextWriter.Null);

        foreach (var run in result.Runs)
        {
            var lrs = CsvMetricReader.Read(Path.Combine(_temp.File("per-batch"), run.Name, TrainingRun.MetricsFile), MetricTags.LrTrain);
            Assert.Equal(2 * 4, lrs.Count);   // two epochs of 64 / 16 batches: the rate halves twice within each
            Assert.All(lrs, r => Assert.Equal(run.Lr * Math.Pow(0.5, (r.Step - 1) / 2), r.Value, 1e-12));
        }

        var epochs = request with { ScheduleUnit = ScheduleUnit.Epoch };
        var error = Assert.Throws<ArgumentException>(() => StudyRunner.Execute(epochs, TextWriter.Null));   // the pinned plan names the unit
        Assert.Contains("other settings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStudyPinnedBeforeSchedulesCouldCountBatchesResumesAsPerEpoch()
    {
        var folder = _temp.File("older");
        var first = StudyRunner.Execute(Request(folder), TextWriter.Null);
        var plan = Path.Combine(folder, StudyFolder.PlanFile);
        var json = File.ReadAllText(plan);
        var older = System.Text.RegularExpressions.Regex.Replace(json, @",\s*""scheduleUnit"":\s*""Epoch""", "");
        Assert.NotEqual(json, older);
        File.WriteAllText(plan, older);

        var again = StudyRunner.Execute(Request(folder), TextWriter.Null);
        Assert.Equal((0, 5), (again.Trained, again.Reused));
        Assert.Equal(first.Runs.Select(Key), again.Runs.Select(Key));
    }

    [Fact]
    public void ResumingWithOtherSettingsIsRefused()
    {
        var folder = _temp.File("pinned");
        var request = Request(folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, StudyFolder.PlanFile), "{}");
        var error = Assert.Throws<ArgumentException>(() => StudyRunner.Execute(request with { Seed = 9 }, TextWriter.Null));
        Assert.Contains("other settings", error.Message, StringComparison.Ordinal);
    }

    private static (string Name, StudyRunStatus Status, double? Best, double? Final) Key(StudyRun r) =>
        (r.Name, r.Status, r.Summary?.BestAccuracy, r.Summary?.FinalTestLoss);

    /// <summary>The cells of the ranked table's rows.</summary>
    private static List<string[]> TableRows(string report) =>
        [.. report[report.IndexOf("## All runs", StringComparison.Ordinal)..].Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(line[2]))
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())];

    private StudyRequest Request(string output) => TinyStudy.Request(_data, output, epochs: 2, parallel: null);

    private void PlantRangeTest(string folder, LrSweepOptions sweep, double[] candidates)
    {
        var path = Directory.CreateDirectory(Path.Combine(folder, "lr-find-sgd")).FullName;
        var suggestions = new LrSuggestions(1e-2, 1e6, 1e5, 1e-2, candidates[0], candidates[^1], candidates);
        RunJson.Write(Path.Combine(path, TrainingRun.SummaryFile), new LrFindSummary(
            "cpu", _data, "sgd", 16, 4, sweep, sweep.Steps, LrStopReason.Completed, sweep.End, suggestions, null, [], 0, path));
    }
}
