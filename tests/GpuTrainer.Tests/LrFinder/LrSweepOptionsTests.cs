using GpuTrainer.LrFinder;
using Xunit;

namespace GpuTrainer.Tests.LrFinder;

public sealed class LrSweepOptionsTests
{
    [Fact]
    public void ExponentialSweepHitsBothEndsExactlyWithAConstantRatio()
    {
        var sweep = new LrSweepOptions { Start = 1e-6, End = 1, Steps = 13 };
        var lrs = Enumerable.Range(0, sweep.Steps).Select(sweep.LearningRate).ToList();
        Assert.Equal(1e-6, lrs[0]);
        Assert.Equal(1.0, lrs[^1]);
        var ratio = Math.Pow(1e6, 1.0 / 12);
        for (var i = 1; i < lrs.Count; i++)
        {
            Assert.Equal(ratio, lrs[i] / lrs[i - 1], 1e-12);
        }

        Assert.Equal(1e-3, lrs[6], 1e-15);
    }

    [Fact]
    public void LinearSweepHitsBothEndsExactlyWithAConstantDifference()
    {
        var sweep = new LrSweepOptions { Start = 0.1, End = 0.7, Steps = 10, Mode = LrSweepMode.Linear };
        var lrs = Enumerable.Range(0, sweep.Steps).Select(sweep.LearningRate).ToList();
        Assert.Equal(0.1, lrs[0]);
        Assert.Equal(0.7, lrs[^1]);
        for (var i = 1; i < lrs.Count; i++)
        {
            Assert.Equal(0.6 / 9, lrs[i] - lrs[i - 1], 1e-12);
        }
    }

    [Fact]
    public void DefaultsAreTheReferenceStudysSweep()
    {
        var sweep = new LrSweepOptions();
        Assert.Equal((1e-6, 1.0, 2345, LrSweepMode.Exponential, 0.98, 4.0, 4),
            (sweep.Start, sweep.End, sweep.Steps, sweep.Mode, sweep.SmoothingBeta, sweep.DivergenceFactor, sweep.Candidates));
        sweep.Validate();
    }

    public static TheoryData<LrSweepOptions, string> Impossible => new()
    {
        { new LrSweepOptions { Start = 1, End = 1 }, "start rate must be below its end rate" },
        { new LrSweepOptions { Start = 2, End = 1 }, "start rate must be below its end rate" },
        { new LrSweepOptions { Start = 0 }, "must be positive numbers" },
        { new LrSweepOptions { End = -1 }, "must be positive numbers" },
        { new LrSweepOptions { End = double.PositiveInfinity }, "must be positive numbers" },
        { new LrSweepOptions { Steps = 9 }, "at least 10 steps" },
        { new LrSweepOptions { SmoothingBeta = 1 }, "beta must be in [0, 1)" },
        { new LrSweepOptions { DivergenceFactor = 1 }, "divergence factor" },
        { new LrSweepOptions { Candidates = 0 }, "candidate rates must be at least 1" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void ImpossibleSweepsAreRefusedWithOneSentence(LrSweepOptions sweep, string expected)
    {
        var error = Assert.Throws<ArgumentException>(sweep.Validate);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
    }
}
