namespace GpuTrainer.LrFinder;

/// <summary>
/// Reads learning rates off a smoothed loss curve s(x), x = log10(lr), of n finite points:
/// <list type="bullet">
/// <item>The first and last <see cref="EdgeFraction"/> of the points (at least one each) are ignored as noise; the rest is the window.</item>
/// <item>Slope at point i: (s[i+h] - s[i-h]) / (x[i+h] - x[i-h]) with h = max(1, n/100), indices clamped to the curve,
/// a central difference over about 2% of the sweep, which damps the step-to-step noise a one-point difference amplifies.</item>
/// <item>Minimum: the lowest smoothed loss in the window. Minimum/10: a tenth of its rate.</item>
/// <item>Steepest: the most negative slope in the window up to the minimum.</item>
/// <item>Valley: fastai's valley heuristic on the window: the longest strictly decreasing subsequence of the
/// smoothed loss, from its start a third and then a sixth of its length onwards (fastai 2.7 <c>valley</c>).</item>
/// <item>Band: from the first point of the window whose slope is at most <see cref="BandSlopeFraction"/> times the
/// steepest slope (where the loss starts to fall fast) to the minimum. It is empty, an <see cref="LrBandException"/>,
/// when the loss never falls (steepest slope &gt;= 0), the band has no width, or the smoothed loss falls by less
/// than <see cref="MinimumDrop"/> (relative) across it.</item>
/// <item>Candidates: N rates log-spaced over the band, both ends included (N = 1: its geometric middle).</item>
/// </list>
/// </summary>
public static class LrSuggester
{
    /// <summary>Share of the points ignored at each end of the curve.</summary>
    public const double EdgeFraction = 0.05;

    /// <summary>The band starts where the slope first reaches this fraction of the steepest slope.</summary>
    public const double BandSlopeFraction = 0.5;

    /// <summary>The smoothed loss must fall by at least this fraction of its value across the band.</summary>
    public const double MinimumDrop = 0.05;

    /// <summary>Suggestions from the finite points of a range test.</summary>
    public static LrSuggestions Suggest(IReadOnlyList<LrCurvePoint> points, int candidates)
    {
        ArgumentNullException.ThrowIfNull(points);
        var finite = points.TakeWhile(p => double.IsFinite(p.Smoothed)).ToList();
        return Suggest([.. finite.Select(p => p.Lr)], [.. finite.Select(p => p.Smoothed)], candidates);
    }

    /// <summary>Suggestions from rates <paramref name="lrs"/> (positive, increasing) and their smoothed losses.</summary>
    public static LrSuggestions Suggest(IReadOnlyList<double> lrs, IReadOnlyList<double> smoothed, int candidates)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        ArgumentNullException.ThrowIfNull(smoothed);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        if (lrs.Count != smoothed.Count)
        {
            throw new ArgumentException($"The curve has {lrs.Count} rates but {smoothed.Count} losses.");
        }

        var n = lrs.Count;
        var edge = Math.Max(1, (int)(n * EdgeFraction));
        var (first, last) = (edge, n - 1 - edge);
        if (last - first < 2)
        {
            throw new LrBandException($"The range test recorded only {n} usable steps, too few to read a learning rate from; sweep more steps or start lower.");
        }

        var x = lrs.Select(Math.Log10).ToArray();
        var h = Math.Max(1, n / 100);
        var slope = new double[n];
        for (var i = first; i <= last; i++)
        {
            var (a, b) = (Math.Max(0, i - h), Math.Min(n - 1, i + h));
            slope[i] = (smoothed[b] - smoothed[a]) / (x[b] - x[a]);
        }

        var minimum = ArgMin(first, last, i => smoothed[i]);
        var steepest = ArgMin(first, minimum, i => slope[i]);
        if (!(slope[steepest] < 0))
        {
            throw new LrBandException(
                $"The smoothed loss never falls between {lrs[first]:G3} and {lrs[last]:G3}, so there is no band of good learning rates; sweep higher rates or more steps.");
        }

        var low = first;
        while (slope[low] > BandSlopeFraction * slope[steepest])
        {
            low++;
        }

        var drop = (smoothed[low] - smoothed[minimum]) / Math.Abs(smoothed[low]);
        if (low >= minimum || !(drop >= MinimumDrop))
        {
            throw new LrBandException(
                $"The smoothed loss falls by only {Math.Max(0, drop):P1} between {lrs[low]:G3} and {lrs[minimum]:G3} (at least {MinimumDrop:P0} is needed), so the band of good learning rates is empty; sweep higher rates or more steps.");
        }

        return new LrSuggestions(
            lrs[steepest], lrs[minimum], lrs[minimum] / 10, lrs[Valley(smoothed, first, last)], lrs[low], lrs[minimum],
            LogSpaced(lrs[low], lrs[minimum], candidates));
    }

    /// <summary><paramref name="count"/> rates from <paramref name="low"/> to <paramref name="high"/>, equal ratios apart.</summary>
    public static IReadOnlyList<double> LogSpaced(double low, double high, int count) =>
        count == 1
            ? [Math.Sqrt(low * high)]
            : [.. Enumerable.Range(0, count).Select(k => k == count - 1 ? high : low * Math.Pow(high / low, (double)k / (count - 1)))];

    /// <summary>fastai's valley index over s[first..last] (longest decreasing subsequence, O(n^2) as in fastai).</summary>
    private static int Valley(IReadOnlyList<double> s, int first, int last)
    {
        var n = last - first + 1;
        var lds = new int[n];
        Array.Fill(lds, 1);
        var (maxStart, maxEnd) = (0, 0);
        for (var i = 1; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (s[first + i] < s[first + j] && lds[i] < lds[j] + 1)
                {
                    lds[i] = lds[j] + 1;
                }

                if (lds[maxEnd] < lds[i])
                {
                    maxEnd = i;
                    maxStart = Math.Max(0, maxEnd - lds[maxEnd]);
                }
            }
        }

        var sections = (maxEnd - maxStart) / 3.0;
        return first + maxStart + (int)sections + (int)(sections / 2);
    }

    private static int ArgMin(int from, int to, Func<int, double> value)
    {
        var best = from;
        for (var i = from + 1; i <= to; i++)
        {
            if (value(i) < value(best))
            {
                best = i;
            }
        }

        return best;
    }
}
