using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class ConsoleProgressTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TerminalRedrawsOneLineInPlaceAndEndsItOnComplete()
    {
        var output = new StringWriter();
        var clock = new FakeClock(Start);
        var progress = new ConsoleProgress("epoch 1/2", 100, output, isTerminal: true, clock, unit: "batch");
        progress.Report(0);
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(25);
        clock.Advance(TimeSpan.FromSeconds(3));
        progress.Complete();

        const string quarter = "epoch 1/2 [######..................]  25.0% 25/100  25.0 batch/s  elapsed 0:01  ETA 0:03";
        Assert.Equal(
            "\repoch 1/2 [........................]   0.0% 0/100  0.0 batch/s  elapsed 0:00  ETA ?" +
            "\r" + quarter +
            "\r" + "epoch 1/2 [########################] 100.0% 100/100  25.0 batch/s  elapsed 0:04".PadRight(quarter.Length) +
            Environment.NewLine,
            output.ToString());
    }

    [Fact]
    public void TerminalRedrawsAtMostTenTimesPerSecond()
    {
        var output = new StringWriter();
        var clock = new FakeClock(Start);
        using var progress = new ConsoleProgress("lr test", 1000, output, isTerminal: true, clock);
        for (var i = 1; i <= 999; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            progress.Advance();
        }

        Assert.Equal(10, output.ToString().Count(c => c == '\r'));
        Assert.DoesNotContain('\n', output.ToString());
    }

    [Fact]
    public void NarrowTerminalDropsTheBarThenCutsTheLine()
    {
        var clock = new FakeClock(Start);
        var narrow = new StringWriter();
        using (var progress = new ConsoleProgress("epoch 1/2", 100, narrow, isTerminal: true, clock, terminalWidth: 60))
        {
            progress.Report(50);
        }

        Assert.Equal("\repoch 1/2:  50.0% 50/100  0.0 it/s  elapsed 0:00  ETA ?" + Environment.NewLine, narrow.ToString());

        var tiny = new StringWriter();
        using (var progress = new ConsoleProgress("epoch 1/2", 100, tiny, isTerminal: true, clock, terminalWidth: 21))
        {
            progress.Report(50);
        }

        Assert.Equal("\repoch 1/2:  50.0% 50" + Environment.NewLine, tiny.ToString()); // 20 columns: one short of the width
    }

    [Fact]
    public void RedirectedPrintsPlainLineEveryTenthWithoutCarriageReturns()
    {
        var output = new StringWriter();
        var clock = new FakeClock(Start);
        using (var progress = new ConsoleProgress("train", 1000, output, isTerminal: false, clock))
        {
            for (var i = 1; i <= 1000; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                progress.Advance();
            }

            progress.Complete();
        }

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', output.ToString().Replace(Environment.NewLine, "", StringComparison.Ordinal));
        Assert.Equal(10, lines.Length);
        Assert.Equal("train:  10.0% 100/1000  100.0 it/s  elapsed 0:01  ETA 0:09", lines[0]);
        Assert.Equal("train: 100.0% 1000/1000  100.0 it/s  elapsed 0:10", lines[9]);
    }

    [Fact]
    public void RedirectedPrintsAtLeastEveryIntervalWhenProgressIsSlow()
    {
        var output = new StringWriter();
        var clock = new FakeClock(Start);
        using var progress = new ConsoleProgress("study", 100, output, isTerminal: false, clock, unit: "run");
        for (var i = 1; i <= 9; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(20));
            progress.Advance();
        }

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            ["study:   2.0% 2/100  0.1 run/s  elapsed 0:40  ETA 32:40", "study:   4.0% 4/100", "study:   6.0% 6/100", "study:   8.0% 8/100"],
            lines.Select((line, i) => i == 0 ? line : line[..line.IndexOf('/', StringComparison.Ordinal)] + "/100"));
    }

    [Fact]
    public void DisposingUnfinishedWorkEndsTheLineWhereItStopped()
    {
        var terminal = new StringWriter();
        var clock = new FakeClock(Start);
        using (var progress = new ConsoleProgress("run", 10, terminal, isTerminal: true, clock))
        {
            clock.Advance(TimeSpan.FromHours(1));
            progress.Report(5);
        }

        Assert.EndsWith("50.0% 5/10  0.0 it/s  elapsed 1:00:00  ETA 1:00:00" + Environment.NewLine, terminal.ToString(), StringComparison.Ordinal);

        var redirected = new StringWriter();
        using (var progress = new ConsoleProgress("run", 10, redirected, isTerminal: false, clock))
        {
            progress.Report(3);
            progress.Report(4);
        }

        Assert.Equal(
            ["run:  30.0% 3/10  0.0 it/s  elapsed 0:00  ETA ?", "run:  40.0% 4/10  0.0 it/s  elapsed 0:00  ETA ?"],
            redirected.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ReportsOutsideTheTotalThrow()
    {
        using var progress = new ConsoleProgress("x", 10, new StringWriter(), isTerminal: false, new FakeClock(Start));

        Assert.Throws<ArgumentOutOfRangeException>(() => progress.Report(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => progress.Report(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsoleProgress("x", 0, new StringWriter(), isTerminal: false));
    }
}
