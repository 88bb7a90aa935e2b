using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Study;
using GpuTrainer.Tests.Reports;
using GpuTrainer.Tests.Training;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Study;

/// <summary>
/// The study's phases on a tiny data set (one optimizer x two schedules x two candidates, one epoch): plan + every cell
/// + report equals the single-machine study; repeated and racing cells; failed and killed cells; a foreign recipe.
/// </summary>
public sealed class StudyPhasesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public StudyPhasesTests() => _data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PlanThenEveryCellThenReportEqualsTheSingleMachineStudy()
    {
        var single = StudyRunner.Execute(Request(_temp.File("single")), TextWriter.Null);

        var folder = _temp.File("split");
        var plan = StudyPlanner.Plan(Request(folder), TextWriter.Null);
        Assert.Equal(4, plan.Cells.Count);
        Assert.Equal([0, 1, 2, 3], plan.Cells.Select(c => c.Task));
        Assert.Equal(plan.Cells, CellManifest.Read(Path.Combine(folder, StudyFolder.ManifestFile)));
        foreach (var task in Enumerable.Range(0, 4).Reverse())   // any order, as a scheduler may run them
        {
            Assert.Single(StudyCellRunner.Run(folder, task, DeviceKind.Cpu, 1, TextWriter.Null));
        }

        var report = StudyReporter.Report(folder, TextWriter.Null);
        Assert.Empty(report.Unfinished);
        Assert.Equal(single.Runs.Select(Key), report.Runs.Select(Key));
        Assert.Equal(single.Runs.Select(History), report.Runs.Select(History));
        Assert.Equal(TableWithoutTime(single.ReportPath), TableWithoutTime(report.ReportPath));
    }

    [Fact]
    public void ATaskOfSeveralCellsTrainsThemAsOneGroupAndPublishesEachCell()
    {
        var single = StudyRunner.Execute(Request(_temp.File("single")), TextWriter.Null);

        var folder = _temp.File("paired");
        var request = Request(folder) with { Parallel = 2 };
        Assert.Equal(2, StudyPlanner.TaskCount(request));
        var plan = StudyPlanner.Plan(request, TextWriter.Null);
        Assert.Equal([0, 0, 1, 1], plan.Cells.Select(c => c.Task));
        var log = new StringWriter();
        var task1 = StudyCellRunner.Run(folder, 1, DeviceKind.Cpu, 1, log);

        Assert.Equal([plan.Cells[2].Name, plan.Cells[3].Name], task1.Select(r => r.Name));
        Assert.Contains("2 LeNet-5 models", log.ToString(), StringComparison.Ordinal);
        var alone = single.Runs.ToDictionary(r => r.Name);   // the report's runs are ranked, not in cell order
        Assert.Equal(task1.Select(r => History(alone[r.Name])), task1.Select(History));
        Assert.All(task1, r => Assert.True(File.Exists(Path.Combine(folder, r.Name, TrainingRun.SummaryFile))));
        Assert.Equal(2, StudyCellRunner.Run(folder, 0, DeviceKind.Cpu, 1, TextWriter.Null).Count);
        Assert.Equal(single.Runs.Select(Key), StudyReporter.Report(folder, TextWriter.Null).Runs.Select(Key));
    }

    [Fact]
    public void AReportOfAnIncompleteStudyListsTheMissingCellsAndFailsUnlessPartial()
    {
        var folder = _temp.File("incomplete");
        var plan = StudyPlanner.Plan(Request(folder), TextWriter.Null);
        StudyCellRunner.Run(folder, 2, DeviceKind.Cpu, 1, TextWriter.Null);

        // The worker refreshed report.html after its cell: watched from the shared folder before any report phase.
        Assert.Equal(["ok", "missing", "missing", "missing"], PageData.Statuses(PageData.Read(PageData.PathIn(folder))));
        Assert.False(File.Exists(Path.Combine(folder, StudyReport.ReportFile)));

        var log = new StringWriter();
        var error = Assert.Throws<StudyIncompleteException>(() => StudyReporter.Report(folder, log));
        Assert.Contains("3 of 4 cells are missing or failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, log.ToString().Split('\n').Count(l => l.Contains("missing: never started", StringComparison.Ordinal)));

        var partial = StudyReporter.Report(folder, TextWriter.Null, partial: true);
        Assert.Equal([plan.Cells[2].Name], partial.Runs.Select(r => r.Name));
        Assert.Equal([0, 1, 3], partial.Unfinished.Select(u => u.Cell.Index));
        var markdown = File.ReadAllText(partial.ReportPath);
        Assert.Contains("Cells without a result (3):", markdown, StringComparison.Ordinal);
        var page = PageData.Read(PageData.PathIn(folder));
        Assert.Equal(["ok", "missing", "missing", "missing"], PageData.Statuses(page));
        Assert.Equal(plan.Cells[2].Name + "/", page.GetProperty("runs")[0].GetProperty("link").GetString());
        Assert.Contains("1 of 4 runs finished; 0 running, 3 missing", page.GetProperty("status").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePageWrittenWhileAStudyRunsShowsWhatFinishedWhatRunsAndWhatIsMissing()
    {
        var folder = _temp.File("watched");
        var request = Request(folder) with { OutputDirectory = folder };
        var plan = StudyPlanner.Plan(request, TextWriter.Null);
        var done = StudyCellRunner.Run(folder, 0, DeviceKind.Cpu, 1, TextWriter.Null);

        StudyReporter.WritePage(request, plan.RangeTests, done, plan.Cells, running: 1);

        var page = PageData.Read(PageData.PathIn(folder));
        Assert.Equal(["ok", "running", "missing", "missing"], PageData.Statuses(page));
        Assert.Equal([plan.Cells[0].Name, plan.Cells[1].Name], page.GetProperty("runs").EnumerateArray().Take(2).Select(r => r.GetProperty("name").GetString()));
        Assert.Contains(page.GetProperty("provenance").EnumerateArray(), row => row[0].GetString() == "ended" && row[1].GetString() == "not yet");
        Assert.False(File.Exists(Path.Combine(folder, StudyReport.ReportFile)));   // only the page; report.md comes with the report phase
    }

    [Fact]
    public void TheSameCellTwiceIsReusedAndALostRaceKeepsTheWinnersResult()
    {
        var folder = _temp.File("race");
        var plan = StudyPlanner.Plan(Request(folder), TextWriter.Null);
        var cell = plan.Cells[1];

        // The winner: the same cell trained in a copy of the study, put into place while this worker trains.
        var other = _temp.File("other");
        StudyPlanner.Plan(Request(other), TextWriter.Null);
        var winner = StudyCellRunner.Run(other, cell.Task, DeviceKind.Cpu, 1, TextWriter.Null).Single();
        var log = new OnFirstEpoch(() => Directory.Move(Path.Combine(other, cell.Name), Path.Combine(folder, cell.Name)));

        var lost = StudyCellRunner.Run(folder, cell.Task, DeviceKind.Cpu, 1, log).Single();

        Assert.True(log.Fired);
        Assert.Contains("was finished first by another worker", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(Key(winner), Key(lost));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(folder, ".staging")));
        Assert.False(Directory.Exists(Path.Combine(folder, ".attempts", cell.Name)));

        var again = new StringWriter();
        var reused = StudyCellRunner.Run(folder, cell.Task, DeviceKind.Cpu, 1, again).Single();
        Assert.True(reused.Reused);
        Assert.Contains("reused", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(Key(winner), Key(reused));
    }

    [Fact]
    public void TwoWorkersRacingOnOneCellBothSucceedAndLeaveOneResult()
    {
        var folder = _temp.File("racing");
        var plan = StudyPlanner.Plan(Request(folder), TextWriter.Null);
        var cell = plan.Cells[0];

        var results = new StudyRun[2];
        Parallel.For(0, 2, i => results[i] = StudyCellRunner.Run(folder, cell.Task, DeviceKind.Cpu, 1, TextWriter.Null).Single());

        var onDisk = StudyCellRunner.Finished(folder, cell)!;
        Assert.All(results, r => Assert.Equal(Key(onDisk), Key(r)));
        Assert.Single(Directory.GetDirectories(folder, cell.Name));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(folder, ".staging")));
    }

    [Fact]
    public void AFailedCellIsReportedWithItsReasonAndCanBeTrainedAgainAlone()
    {
        var folder = _temp.File("failing");
        var plan = StudyPlanner.Plan(Request(folder), TextWriter.Null);
        foreach (var task in new[] { 0, 1, 3 })
        {
            StudyCellRunner.Run(folder, task, DeviceKind.Cpu, 1, TextWriter.Null);
        }

        var images = Path.Combine(_data, "train-images-idx3-ubyte");
        File.Move(images, images + ".away");   // the worker's data is gone: the cell fails
        Assert.Throws<DataFormatException>(() => StudyCellRunner.Run(folder, 2, DeviceKind.Cpu, 1, TextWriter.Null));
        File.Move(images + ".away", images);

        var report = StudyReporter.Report(folder, TextWriter.Null, partial: true);
        var failed = Assert.Single(report.Unfinished);
        Assert.Equal(plan.Cells[2], failed.Cell);
        Assert.StartsWith("failed: ", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte", failed.Reason, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", failed.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, plan.Cells[2].Name)));

        StudyCellRunner.Run(folder, 2, DeviceKind.Cpu, 1, TextWriter.Null);
        Assert.Empty(StudyReporter.Report(folder, TextWriter.Null).Unfinished);
        Assert.False(Directory.Exists(Path.Combine(folder, ".attempts", plan.Cells[2].Name)));
    }

    [Fact]
    public void AWorkerKilledDuringACellIsReportedAsStartedWithoutAResult()
    {
        var folder = _temp.File("killed");
        var plan = StudyPlanner.Plan(Request(folder), TextWriter.Null);
        var worker = CellWorker.Current(name => name switch { "SLURM_ARRAY_JOB_ID" => "41", "SLURM_ARRAY_TASK_ID" => "3", _ => null });
        CellAttempts.Start(folder, plan.Cells[3], worker, new CellAttempts.Attempt(worker.Description, DateTimeOffset.UtcNow, null));   // what a worker writes before training; then it was killed

        var report = StudyReporter.Report(folder, TextWriter.Null, partial: true);

        Assert.Equal(4, report.Unfinished.Count);
        Assert.Equal("missing: never started", report.Unfinished[0].Reason);
        Assert.StartsWith($"no result: slurm job 41_3 on {Environment.MachineName}", report.Unfinished[3].Reason, StringComparison.Ordinal);
        Assert.Contains("killed", report.Unfinished[3].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TERM", "failed: " + StudyCellRunner.Terminated)]
    [InlineData("KILL", "no result: host ")]
    public void AWorkerProcessStoppedBySignalIsReportedWithWhatItLeft(string signal, string reason)
    {
        var folder = _temp.File("signal");
        var cell = StudyPlanner.Plan(TinyStudy.Request(_data, folder, epochs: 500), TextWriter.Null).Cells[0];
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "GpuTrainer.Cli.dll"), "study", "cell", "--index", "0", "--out", folder, "--device", "cpu", "--threads", "1" },
            RedirectStandardOutput = true,
        };
        start.Environment.Remove("SLURM_ARRAY_JOB_ID");
        start.Environment.Remove("SLURM_JOB_ID");
        start.Environment.Remove("JOB_COMPLETION_INDEX");
        using var worker = Process.Start(start)!;
        worker.OutputDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        var attempts = Path.Combine(folder, ".attempts", cell.Name);
        for (var i = 0; i < 600 && !(Directory.Exists(attempts) && Directory.GetFiles(attempts).Length > 0) && !worker.HasExited; i++)
        {
            Thread.Sleep(100);
        }

        Assert.False(worker.HasExited, "the worker ended before it could be stopped");
        using (var kill = Process.Start("kill", [$"-{signal}", worker.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        Assert.True(worker.WaitForExit(60_000), "the worker did not stop");
        var unfinished = StudyReporter.Report(folder, TextWriter.Null, partial: true).Unfinished;
        Assert.Equal(4, unfinished.Count);
        Assert.StartsWith(reason, unfinished[0].Reason, StringComparison.Ordinal);
        Assert.Contains($"pid {worker.Id}", unfinished[0].Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, cell.Name)));
    }

    [Fact]
    public void APlanWithAnotherRecipeThanTheFoldersIsRefused()
    {
        var folder = _temp.File("pinned");
        StudyPlanner.Plan(Request(folder), TextWriter.Null);
        var request = Request(folder);

        var error = Assert.Throws<ArgumentException>(() => StudyPlanner.Plan(request with { Seed = 9 }, TextWriter.Null));
        Assert.Contains("other settings", error.Message, StringComparison.Ordinal);

        // The recipe read back from study.json is the folder's own: planning with it again is accepted.
        var fromFile = StudyPlanner.FromPlanFile(Path.Combine(folder, StudyFolder.PlanFile), DeviceKind.Cpu, 1, folder);
        Assert.Equal(4, StudyPlanner.Plan(fromFile, TextWriter.Null).Cells.Count);
    }

    [Fact]
    public void ACellOfAFolderWithoutAPlanOrOutsideTheManifestIsAnError()
    {
        Assert.Contains("holds no study plan", Assert.Throws<IOException>(() => StudyCellRunner.Run(_temp.File("none"), 0, DeviceKind.Cpu, 1, TextWriter.Null)).Message, StringComparison.Ordinal);
        var folder = _temp.File("planned");
        StudyPlanner.Plan(Request(folder), TextWriter.Null);
        var error = Assert.Throws<ArgumentException>(() => StudyCellRunner.Run(folder, 4, DeviceKind.Cpu, 1, TextWriter.Null));
        Assert.Contains("no array task 4; its tasks are 0 to 3", error.Message, StringComparison.Ordinal);
    }

    private static (string Name, StudyRunStatus Status, double? Best, double? Final, double? Loss) Key(StudyRun r) =>
        (r.Name, r.Status, r.Summary?.BestAccuracy, r.Summary?.FinalAccuracy, r.Summary?.FinalTestLoss);

    private static string History(StudyRun r) =>
        string.Join(";", r.Summary!.History.Select(e => $"{e.TrainLoss:R},{e.TestLoss:R},{e.TestAccuracy:R},{e.LearningRate:R}"));

    /// <summary>The ranked table's rows without the time column (the only one that may differ).</summary>
    private static List<string> TableWithoutTime(string report) =>
        [.. File.ReadAllLines(report).Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2]))
            .Select(l => l.Split('|')).Where(f => f.Length == 13).Select(f => string.Join("|", f.Where((_, i) => i != 9)))];

    private StudyRequest Request(string output) => TinyStudy.Request(_data, output, epochs: 1);

    /// <summary>A log that runs an action once, at the first epoch line (during training, before the result is published).</summary>
    private sealed class OnFirstEpoch(Action action) : StringWriter
    {
        public bool Fired { get; private set; }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (!Fired && value?.Contains("epoch 1/", StringComparison.Ordinal) == true)
            {
                Fired = true;
                action();
            }
        }
    }
}
