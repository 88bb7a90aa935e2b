using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class PlotAxisTests
{
    [Fact]
    public void LinearTicksAreRoundStepsInsideTheRange()
    {
        var axis = new PlotAxis(log: false, [0, 1], null);
        var labels = axis.TickCandidates().Select(t => string.Join(" ", t.Select(x => x.Label))).ToList();

        Assert.Contains("0.0 0.2 0.4 0.6 0.8 1.0", labels);
        Assert.Contains("0.0 0.5 1.0", labels);
        Assert.All(axis.TickCandidates().SelectMany(t => t), t => Assert.InRange(axis.Position(t.Value), 0, 1));
    }

    [Fact]
    public void LogTicksAreDecadesWithMinorTicksBetween()
    {
        var axis = new PlotAxis(log: true, [1e-6, 10, double.NaN, -1, 0], null);
        var decades = axis.TickCandidates().First();

        Assert.Equal(["1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10"], decades.Select(t => t.Label));
        // 2..9 in each of the 7 decades, plus 7e-7, 8e-7 and 9e-7 inside the 3% padding below 1e-6 (10^-6.21).
        Assert.Equal((7 * 8) + 3, axis.MinorTicks(decades).Count);
        Assert.Equal(0.5, axis.Position(Math.Sqrt(1e-6 * 10)), 9);
    }

    [Fact]
    public void NarrowLogRangeUsesMantissas()
    {
        var axis = new PlotAxis(log: true, [5, 9], null);

        Assert.Equal(["5", "6", "7", "8", "9"], axis.TickCandidates().First().Select(t => t.Label));
    }

    [Fact]
    public void TinyStepsUseScientificLabels()
    {
        var axis = new PlotAxis(log: false, [0, 4e-5], null);

        Assert.Contains("0 1e-5 2e-5 3e-5 4e-5", axis.TickCandidates().Select(t => string.Join(" ", t.Select(x => x.Label))));
    }

    [Fact]
    public void FixedRangeMustBeIncreasingAndPositiveOnLogAxis()
    {
        Assert.Throws<ArgumentException>(() => new PlotAxis(log: true, [], (0, 1)));
        Assert.Throws<ArgumentException>(() => new PlotAxis(log: false, [], (1, 1)));
        Assert.Equal(0.25, new PlotAxis(log: false, [100], (0, 4)).Position(1));
    }
}
