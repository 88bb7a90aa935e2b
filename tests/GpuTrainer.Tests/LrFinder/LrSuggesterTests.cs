using GpuTrainer.LrFinder;
using Xunit;

namespace GpuTrainer.Tests.LrFinder;

/// <summary>The suggestion rules on synthetic smoothed curves whose answers are known in closed form.</summary>
public sealed class LrSuggesterTests
{
    private const int N = 600;

    /// <summary>Rates 1e-6 .. 1 log-spaced; x = log10(lr) in [-6, 0].</summary>
    private static readonly double[] Lrs = [.. Enumerable.Range(0, N).Select(i => Math.Pow(10, -6 + (6.0 * i / (N - 1))))];

    /// <summary>
    /// s(x) = 0.3 + 2 / (1 + e^(4(x + 2.5))) + 10 (x + 1)^2 for x &gt; -1: a logistic fall from 2.3 to 0.3, steepest at
    /// x = -2.5 (slope -2), reaching half that slope first at x = -2.5 - ln((1 + 1/sqrt 2) / (1 - 1/sqrt 2)) / 4 = -2.9407,
    /// then a parabolic blow-up whose minimum sits at x = -1.0010.
    /// </summary>
    private static double Valley(double x) => 0.3 + (2 / (1 + Math.Exp(4 * (x + 2.5)))) + (x > -1 ? 10 * (x + 1) * (x + 1) : 0);

    /// <summary>The suggester's local fit of <see cref="Valley"/> at x, in the continuum: mean and least-squares slope over x +- w.</summary>
    private static (double Level, double Slope) Fit(double x)
    {
        const int Parts = 2000;
        var w = LrSuggester.FitHalfWidth * 6;
        var (level, moment) = (0.0, 0.0);
        for (var k = 0; k <= Parts; k++)
        {
            var u = -w + (2 * w * k / Parts);
            var weight = (k == 0 || k == Parts ? 1 : k % 2 == 1 ? 4 : 2) * (2 * w / Parts / 3);   // Simpson
            (level, moment) = (level + (weight * Valley(x + u)), moment + (weight * u * Valley(x + u)));
        }

        return (level / (2 * w), moment / (2 * w * w * w / 3));
    }

    /// <summary>The smallest x in [lo, hi] at which <paramref name="f"/> is non-negative (f rising through 0; bisection).</summary>
    private static double Root(Func<double, double> f, double lo, double hi)
    {
        for (var k = 0; k < 60; k++)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = f(mid) < 0 ? (mid, hi) : (lo, mid);
        }

        return hi;
    }

    [Fact]
    public void AKnownValleyGivesItsSteepestPointBandAndCandidates()
    {
        var s = LrSuggester.Suggest(Lrs, [.. Lrs.Select(lr => Valley(Math.Log10(lr)))], candidates: 4);

        // The fit over +-0.3 decades flattens the curve: its steepest point stays at -2.5 (the logistic is odd about it and
        // the parabola is out of reach), but half that slope is reached walking back at about -2.975 instead of -2.9407,
        // and the fitted level is lowest left of -1.001, where the window starts to see the blow-up.
        const double tolerance = 0.02;   // decades: a little more than the 0.01-decade grid
        var steepestSlope = Fit(-2.5).Slope;
        Assert.Equal(-2.5, Math.Log10(s.Steepest), tolerance);
        Assert.Equal(Root(x => (LrSuggester.BandSlopeFraction * steepestSlope) - Fit(x).Slope, -4, -2.5), Math.Log10(s.BandLow), tolerance);
        Assert.Equal(Root(x => Fit(x + 1e-6).Level - Fit(x).Level, -2, -0.5), Math.Log10(s.BandHigh), tolerance);
        Assert.Equal(s.BandHigh, s.Minimum);
        Assert.Equal(s.Minimum / 10, s.MinimumOverTen);
        Assert.InRange(Math.Log10(s.Valley), -5.8, -1.0);   // somewhere down the long descent, never past the minimum
        Assert.Equal(4, s.Candidates.Count);
        Assert.Equal(s.BandLow, s.Candidates[0]);
        Assert.Equal(s.BandHigh, s.Candidates[^1]);
        var ratio = s.Candidates[1] / s.Candidates[0];
        Assert.Equal(Math.Pow(s.BandHigh / s.BandLow, 1.0 / 3), ratio, 1e-9);
        Assert.Equal(ratio, s.Candidates[3] / s.Candidates[2], 1e-9);
    }

    [Fact]
    public void AnEarlyShoulderDoesNotPullTheBandDown()
    {
        // Valley's curve with a short fall of 0.8 at x = -4.5 in front (an early shoulder): its slope reaches more than half
        // the steepest, but a plateau separates it from the steep stretch, so the band still starts on the main fall.
        var s = LrSuggester.Suggest(Lrs, [.. Lrs.Select(lr => Math.Log10(lr) is var x ? Valley(x) + (0.8 / (1 + Math.Exp(8 * (x + 4.5)))) : 0)], 4);
        Assert.Equal(-2.5, Math.Log10(s.Steepest), 0.02);
        Assert.InRange(Math.Log10(s.BandLow), -3.1, -2.9);
    }

    [Fact]
    public void FastaiValleyOnAStraightDescentIsHalfwayDown()
    {
        // Strictly decreasing to the minimum at x = -1, rising after: the descent spans the window's start to the minimum.
        var s = LrSuggester.Suggest(Lrs, [.. Lrs.Select(lr => Math.Log10(lr) is var x && x < -1 ? -x : 1 + (5 * (x + 1)))], candidates: 1);
        var start = Math.Log10(Lrs[N / 20]);
        Assert.Equal((start + -1) / 2, Math.Log10(s.Valley), 0.05);
        Assert.Equal(Math.Sqrt(s.BandLow * s.BandHigh), Assert.Single(s.Candidates), 1e-12);
    }

    [Fact]
    public void AFlatCurveHasNoBand()
    {
        var error = Assert.Throws<LrBandException>(() => LrSuggester.Suggest(Lrs, [.. Lrs.Select(_ => 2.3)], 4));
        Assert.Contains("never falls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARisingCurveHasNoBand() =>
        Assert.Throws<LrBandException>(() => LrSuggester.Suggest(Lrs, [.. Lrs.Select(lr => 2.3 + lr)], 4));

    [Fact]
    public void ABarelyFallingCurveHasNoBand()
    {
        // Falls by 1% of its value, less than the 5% the band needs.
        var error = Assert.Throws<LrBandException>(() => LrSuggester.Suggest(Lrs, [.. Lrs.Select(lr => 2.3 - (0.023 * (Math.Log10(lr) + 6) / 6))], 4));
        Assert.Contains("falls by only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooShortACurveIsAClearError() =>
        Assert.Contains("too few", Assert.Throws<LrBandException>(() => LrSuggester.Suggest([1e-3, 1e-2, 1e-1, 1], [2, 1, 0.5, 3], 4)).Message, StringComparison.Ordinal);

    [Fact]
    public void NonFiniteTailIsIgnored()
    {
        var points = Lrs.Select((lr, i) => new LrCurvePoint(i + 1, lr, 0, i > 500 ? double.NaN : Valley(Math.Log10(lr)))).ToList();
        var s = LrSuggester.Suggest(points, 4);
        Assert.Equal(-2.5, Math.Log10(s.Steepest), 0.02);
    }
}
