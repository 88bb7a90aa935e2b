using GpuTrainer.LrFinder;
using Xunit;

namespace GpuTrainer.Tests.LrFinder;

public sealed class LossSmootherTests
{
    [Fact]
    public void BiasCorrectedAverageMatchesAHandComputation()
    {
        // beta 0.9, losses 2, 1, 4:
        // avg1 = 0.1*2 = 0.2           -> 0.2 / (1 - 0.9)   = 2
        // avg2 = 0.9*0.2 + 0.1*1 = 0.28 -> 0.28 / (1 - 0.81) = 1.4736842105...
        // avg3 = 0.9*0.28 + 0.1*4 = 0.652 -> 0.652 / (1 - 0.729) = 2.4059040590...
        var smoother = new LossSmoother(0.9);
        Assert.Equal(2.0, smoother.Add(2), 1e-12);
        Assert.Equal(0.28 / 0.19, smoother.Add(1), 1e-12);
        Assert.Equal(0.652 / 0.271, smoother.Add(4), 1e-12);
    }

    [Fact]
    public void ZeroBetaFollowsTheLossAndAConstantLossStaysPut()
    {
        var raw = new LossSmoother(0);
        Assert.Equal(3.0, raw.Add(3));
        Assert.Equal(5.0, raw.Add(5));
        var constant = new LossSmoother(0.98);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(1.5, constant.Add(1.5), 1e-12);
        }
    }

    [Fact]
    public void BetaOutsideItsRangeIsRefused() =>
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentException>(() => new LossSmoother(1)).Message, StringComparison.Ordinal);
}
