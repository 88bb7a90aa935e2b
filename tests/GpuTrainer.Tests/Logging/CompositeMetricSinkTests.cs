using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class CompositeMetricSinkTests
{
    [Fact]
    public void ForwardsEveryScalarToEverySink()
    {
        using var dir = new TempDirectory();
        string eventsPath;
        using (var sink = new CompositeMetricSink(new CsvMetricSink(dir.File("m.csv")), new TensorBoardEventWriter(dir.File("tb"))))
        {
            sink.Scalar(MetricTags.LossTrain, 1, 0.5);
            sink.Scalar(MetricTags.AccuracyTest, 2, 0.25);
            sink.Flush();
            eventsPath = Directory.GetFiles(dir.File("tb")).Single();
        }

        Assert.Equal("tag,step,value\nLoss/train,1,0.5\nAccuracy/test,2,0.25\n", File.ReadAllText(dir.File("m.csv")));
        Assert.Equal(
            [(MetricTags.LossTrain, 1L, 0.5f), (MetricTags.AccuracyTest, 2L, 0.25f)],
            TensorBoardEventReader.ReadScalars(eventsPath).Select(s => (s.Tag, s.Step, s.Value)));
    }

    [Fact]
    public void DisposesEverySinkEvenWhenOneFails()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.csv");
        var csv = new CsvMetricSink(path);
        File.WriteAllText(path, "appeared meanwhile");
        var tensorBoard = new TensorBoardEventWriter(dir.File("tb"));
        var sink = new CompositeMetricSink(csv, tensorBoard);

        Assert.Throws<IOException>(sink.Dispose);
        Assert.Throws<ObjectDisposedException>(() => tensorBoard.Scalar("a", 0, 0));
    }
}
