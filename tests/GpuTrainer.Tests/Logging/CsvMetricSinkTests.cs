using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class CsvMetricSinkTests
{
    [Fact]
    public void WritesRoundTrippableInvariantRows()
    {
        using var dir = new TempDirectory();
        var path = dir.File("sub/metrics.csv");
        using (var sink = new CsvMetricSink(path))
        {
            sink.Scalar(MetricTags.LossTrain, 0, 0.1 + 0.2);
            sink.Scalar(MetricTags.LrTrain, 1, 1e-300);
            sink.Scalar(MetricTags.LossTest, 2, double.NaN);
            sink.Scalar(MetricTags.AccuracyTest, 3, double.NegativeInfinity);
            sink.Scalar("odd,\"tag\"", -1, -2.5);
        }

        Assert.Equal(
            "tag,step,value\n" +
            "Loss/train,0,0.30000000000000004\n" +
            "LR/train,1,1E-300\n" +
            "Loss/test,2,NaN\n" +
            "Accuracy/test,3,-Infinity\n" +
            "\"odd,\"\"tag\"\"\",-1,-2.5\n",
            File.ReadAllText(path));
        Assert.Equal(0.1 + 0.2, double.Parse("0.30000000000000004", System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void FileAppearsUnderFinalNameOnlyWhenDisposed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("metrics.csv");
        using var sink = new CsvMetricSink(path);
        sink.Scalar(MetricTags.LossTrain, 0, 1.5);
        sink.Flush();

        Assert.False(File.Exists(path));
        Assert.Equal("tag,step,value\nLoss/train,0,1.5\n", ReadShared(path + ".partial"));

        sink.Dispose();
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
        Assert.Throws<ObjectDisposedException>(() => sink.Scalar("a", 0, 0));
    }

    [Fact]
    public void RefusesToOverwriteExistingFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("metrics.csv");
        File.WriteAllText(path, "precious");

        var error = Assert.Throws<IOException>(() => new CsvMetricSink(path));
        Assert.Equal($"The file '{path}' already exists; choose another name or allow overwriting.", error.Message);
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void RefusesWhenFileAppearsDuringTheRun()
    {
        using var dir = new TempDirectory();
        var path = dir.File("metrics.csv");
        var sink = new CsvMetricSink(path);
        File.WriteAllText(path, "precious");

        Assert.Throws<IOException>(sink.Dispose);
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.Equal(CsvMetricSink.Header + "\n", File.ReadAllText(path + ".partial"));
    }

    [Fact]
    public void OverwritesWhenAsked()
    {
        using var dir = new TempDirectory();
        var path = dir.File("metrics.csv");
        File.WriteAllText(path, "old");
        using (var sink = new CsvMetricSink(path, overwrite: true))
        {
            sink.Scalar("a", 1, 2);
        }

        Assert.Equal("tag,step,value\na,1,2\n", File.ReadAllText(path));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
