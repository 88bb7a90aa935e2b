namespace GpuTrainer.LrFinder;

/// <summary>Learning rates read off a range test's smoothed loss curve; see <see cref="LrSuggester"/> for the rules.</summary>
/// <param name="Steepest">Where the smoothed loss falls fastest against log lr.</param>
/// <param name="Minimum">Where the smoothed loss is lowest.</param>
/// <param name="MinimumOverTen">A tenth of <paramref name="Minimum"/> (the classic rule of thumb).</param>
/// <param name="Valley">fastai's valley: partway down the longest descending stretch of the curve.</param>
/// <param name="BandLow">The band's start: where the loss starts to fall fast.</param>
/// <param name="BandHigh">The band's end: where the loss is lowest (= <paramref name="Minimum"/>).</param>
/// <param name="Candidates">Log-spaced rates from <paramref name="BandLow"/> to <paramref name="BandHigh"/>, both included.</param>
public sealed record LrSuggestions(
    double Steepest, double Minimum, double MinimumOverTen, double Valley, double BandLow, double BandHigh, IReadOnlyList<double> Candidates);
