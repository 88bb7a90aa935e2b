using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.Reports;
using GpuTrainer.Tests.Training;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.LrFinder;

/// <summary>The range test end to end on a tiny data set: its folder's files, and a curve with no band.</summary>
public sealed class LrFindRunTests : IDisposable
{
    private readonly GpuTrainer.Tests.TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WritesCurvePlotSummaryAndEventsAndSuggestsRatesInsideTheSweep()
    {
        var data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);
        var sweep = new LrSweepOptions { Start = 1e-3, End = 10, Steps = 100, SmoothingBeta = 0.9, Candidates = 3 };
        var log = new StringWriter();

        var summary = LrFindRun.Execute([Request(data, sweep, _temp.File("out"))], log)[0];

        var folder = _temp.File("out");
        var rows = File.ReadAllLines(Path.Combine(folder, LrFindRun.CurveFile));
        Assert.Equal(LrCurveFiles.CsvHeader, rows[0]);
        Assert.Equal(summary.StepsRun + 1, rows.Length);
        var png = PngImage.Read(Path.Combine(folder, LrFindRun.PlotFile));
        Assert.Equal((1000, 640), (png.Width, png.Height));
        Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*"));
        var saved = RunJson.Read<LrFindSummary>(Path.Combine(folder, TrainingRun.SummaryFile));
        Assert.Equal(summary.Suggestions!.Candidates, saved.Suggestions!.Candidates);
        Assert.Equal(summary.Sweep, saved.Sweep);
        Assert.Equal(3, saved.Suggestions.Candidates.Count);
        Assert.All(saved.Suggestions.Candidates, lr => Assert.InRange(lr, sweep.Start, sweep.End));
        Assert.Contains("candidates", log.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File(".out.partial")));
    }

    [Fact]
    public void ACurveThatNeverFallsKeepsItsFolderAndIsAClearError()
    {
        var data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);
        var sweep = new LrSweepOptions { Start = 1e-12, End = 1e-11, Steps = 20 };

        var error = Assert.Throws<LrBandException>(() => LrFindRun.Execute([Request(data, sweep, _temp.File("flat"))], TextWriter.Null)[0]);

        Assert.Contains("band of good learning rates", error.Message, StringComparison.Ordinal);
        var saved = RunJson.Read<LrFindSummary>(Path.Combine(_temp.File("flat"), TrainingRun.SummaryFile));
        Assert.Null(saved.Suggestions);
        Assert.NotNull(saved.Error);
        Assert.True(File.Exists(Path.Combine(_temp.File("flat"), LrFindRun.PlotFile)));
    }

    internal static LrFindRequest Request(string data, LrSweepOptions sweep, string output) =>
        new() { Optimizer = OptimizerKind.Sgd, Sweep = sweep, Batch = 16, Seed = 2, DataDirectory = data, Device = DeviceKind.Cpu, Threads = 1, OutputDirectory = output };
}
