using GpuTrainer.LrFinder;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.LrFinder;

/// <summary>
/// Every suggestion on range-test-shaped curves with per-batch noise, over many seeds: the default sweep (2,345 steps,
/// 1e-6 .. 1), each batch's loss the clean curve plus Gaussian noise of sigma 0.3, smoothed as the range test does
/// (<see cref="LossSmoother"/>, beta 0.98). Each suggestion must spread little across seeds and sit near the
/// clean curve's feature it names.
/// </summary>
public sealed class LrSuggesterNoiseTests(ITestOutputHelper output)
{
    private const int Seeds = 50;
    private const double Sigma = 0.3;
    private const double Beta = 0.98;

    /// <summary>The default sweep's rates.</summary>
    private static readonly double[] Lrs = [.. Enumerable.Range(0, new LrSweepOptions().Steps).Select(new LrSweepOptions().LearningRate)];

    /// <summary>
    /// The EMA's lag in decades: an EMA of beta trails a ramp by beta / (1 - beta) = 49 steps, and the sweep covers
    /// 6 decades in 2,344 steps, so a feature of the raw curve shows up 49 * 6 / 2344 = 0.125 decades later.
    /// </summary>
    private static readonly double Lag = Beta / (1 - Beta) * 6 / (Lrs.Length - 1);

    public static TheoryData<string> Curves => ["sgd-like", "adam-like"];

    /// <summary>
    /// Two range-test shapes, x = log10(lr): a plateau near ln 10 = 2.3, a logistic fall of rate k (steepest at x0; its
    /// slope is half the steepest at x0 - ln((1 + 1/sqrt 2) / (1 - 1/sqrt 2)) / k), a floor, then a parabolic blow-up
    /// from xb on, whose minimum is found on a fine grid.
    /// </summary>
    private static (Func<double, double> Loss, double X0, double K) Curve(string name) => name switch
    {
        "sgd-like" => (x => 0.1 + (2.2 / (1 + Math.Exp(3 * (x + 2)))) + (x > -0.7 ? 8 * (x + 0.7) * (x + 0.7) : 0), -2, 3),
        _ => (x => 0.15 + (2.15 / (1 + Math.Exp(4 * (x + 3.2)))) + (x > -1.8 ? 6 * (x + 1.8) * (x + 1.8) : 0), -3.2, 4),
    };

    [Theory]
    [MemberData(nameof(Curves))]
    public void SuggestionsBarelyMoveWithPerBatchNoise(string curve)
    {
        var (loss, x0, k) = Curve(curve);
        var halfSlope = x0 - (Math.Log((1 + (1 / Math.Sqrt(2))) / (1 - (1 / Math.Sqrt(2)))) / k);
        var rawMinimum = Enumerable.Range(0, 60001).Select(i => -6 + (i * 1e-4)).MinBy(loss);

        var clean = Suggest(loss, seed: null);
        // The clean curve's suggestions are where its features are (shifted by the EMA's lag).
        Assert.Equal(x0 + Lag, Math.Log10(clean.Steepest), 0.1);
        Assert.Equal(halfSlope + Lag, Math.Log10(clean.BandLow), 0.1);
        Assert.Equal(rawMinimum, Math.Log10(clean.Minimum), 0.15);

        var noisy = Enumerable.Range(1, Seeds).Select(seed => Suggest(loss, seed)).ToList();
        var failures = new List<string>();
        Check(failures, "steepest", clean.Steepest, noisy.Select(s => s.Steepest), spread: 0.5, offset: 0.3);
        Check(failures, "band low", clean.BandLow, noisy.Select(s => s.BandLow), spread: 0.3, offset: 0.2);
        Check(failures, "band high", clean.BandHigh, noisy.Select(s => s.BandHigh), spread: 0.3, offset: 0.2);
        Check(failures, "minimum", clean.Minimum, noisy.Select(s => s.Minimum), spread: 0.3, offset: 0.2);
        Check(failures, "minimum/10", clean.MinimumOverTen, noisy.Select(s => s.MinimumOverTen), spread: 0.3, offset: 0.2);
        // fastai's valley runs from the start of the longest decreasing run, which on a noise-free logistic is the very
        // start of the curve; with noise it is on the fall. So it is held to the clean band rather than to its clean value.
        var valleys = noisy.Select(s => Math.Log10(s.Valley)).ToList();
        output.WriteLine($"valley: clean {Math.Log10(clean.Valley):F3}, seeds {valleys.Min():F3} .. {valleys.Max():F3}");
        Assert.InRange(valleys.Max() - valleys.Min(), 0, 0.5);
        Assert.All(valleys, v => Assert.InRange(v, Math.Log10(clean.BandLow), Math.Log10(clean.BandHigh)));
        for (var c = 0; c < clean.Candidates.Count; c++)
        {
            Check(failures, $"candidate {c + 1}", clean.Candidates[c], noisy.Select(s => s.Candidates[c]), spread: 0.3, offset: 0.2);
        }

        Assert.Empty(failures);
    }

    /// <summary>Suggestions on the sweep of <paramref name="loss"/>, with noise drawn from <paramref name="seed"/> (none when null).</summary>
    private static LrSuggestions Suggest(Func<double, double> loss, int? seed)
    {
        var random = seed is { } s ? new Random(s) : null;
        var smoother = new LossSmoother(Beta);
        var smoothed = Lrs.Select(lr => smoother.Add(loss(Math.Log10(lr)) + (random is null ? 0 : Sigma * Gaussian(random)))).ToArray();
        return LrSuggester.Suggest(Lrs, smoothed, candidates: 4);
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Adds a failure unless the seeds' rates span at most <paramref name="spread"/> decades, each within
    /// <paramref name="offset"/> decades of the clean curve's.
    /// </summary>
    private void Check(List<string> failures, string what, double clean, IEnumerable<double> noisy, double spread, double offset)
    {
        var (x, c) = (noisy.Select(Math.Log10).ToList(), Math.Log10(clean));
        var line = $"{what}: clean {c:F3}, seeds {x.Min():F3} .. {x.Max():F3}, spread {x.Max() - x.Min():F3} decades";
        output.WriteLine(line);
        if (x.Max() - x.Min() > spread || x.Any(v => Math.Abs(v - c) > offset))
        {
            failures.Add($"{line} (allowed: spread {spread}, {offset} from clean)");
        }
    }
}
