using GpuTrainer.Cli;
using GpuTrainer.Tests.Training;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>lr-find and study: impossible options end with one sentence and a distinct exit code, before any training.</summary>
public sealed class SweepVerbCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("lr-find --start 1 --end 1", "start rate must be below its end rate")]
    [InlineData("lr-find --start 0.1 --end 0.01", "start rate must be below its end rate")]
    [InlineData("lr-find --start 0", "must be positive numbers")]
    [InlineData("lr-find --end -1", "must be positive numbers")]
    [InlineData("lr-find --steps 9", "at least 10 steps")]
    [InlineData("lr-find --mode cubic", "Unknown --mode 'cubic'")]
    [InlineData("lr-find --smooth 1", "beta must be in [0, 1)")]
    [InlineData("lr-find --diverge 0.5", "divergence factor")]
    [InlineData("lr-find --candidates 0", "candidate rates must be at least 1")]
    [InlineData("lr-find --opt rmsprop", "Unknown optimizer 'rmsprop'")]
    [InlineData("lr-find --batch 0", "--batch must be at least 1")]
    [InlineData("study --opt sgd,sgd", "only once")]
    [InlineData("study --opt sgd,rmsprop", "Unknown optimizer 'rmsprop'")]
    [InlineData("study --sched fixed,bogus", "Unknown schedule 'bogus'")]
    [InlineData("study --opt ,", "--opt needs at least one name")]
    [InlineData("study --epochs 0", "--epochs must be at least 1")]
    [InlineData("study --sched fixed --gamma 0.5", "--step-size and --gamma apply to the step schedule")]
    [InlineData("study --steps 3", "at least 10 steps")]
    public void BadOptionsGiveOneSentenceAndExitCode2(string args, string expected)
    {
        var (code, output, error) = Run([.. args.Split(' '), "--out", _temp.File("out")]);

        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("gputrainer: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("out")));
    }

    [Fact]
    public void ACurveWithNoBandExitsWithItsOwnCode()
    {
        var data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);

        var (code, _, error) = Run(["lr-find", "--opt", "sgd", "--data", data, "--start", "1e-12", "--end", "1e-11", "--steps", "20", "--batch", "16",
            "--device", "cpu", "--threads", "1", "--out", _temp.File("flat")]);

        Assert.Equal(ExitCodes.NoLearningRate, code);
        Assert.Contains("band of good learning rates", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = GpuTrainer.Cli.Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
