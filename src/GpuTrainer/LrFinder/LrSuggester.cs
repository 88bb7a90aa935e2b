namespace GpuTrainer.LrFinder;

/// <summary>
/// Reads learning rates off a smoothed loss curve s(x), x = log10(lr), of n finite points. Each rule reads the curve
/// through a window, so that the per-batch noise left in s moves the suggestions little:
/// <list type="bullet">
/// <item>The first and last <see cref="EdgeFraction"/> of the points (at least one each) are ignored as noise; the rest is the window.</item>
/// <item>Local fit at point i: the least-squares line through the points within <see cref="FitHalfWidth"/> of the sweep's
/// log span of x[i] (clamped to the curve); its slope is the slope at i, its mean loss the level at i. The fit averages
/// hundreds of steps where a difference of two points would amplify their noise.</item>
/// <item>Minimum: the lowest level in the window. Minimum/10: a tenth of its rate.</item>
/// <item>Steepest: the most negative slope in the window up to the minimum.</item>
/// <item>Valley: fastai's valley heuristic on the window: the longest strictly decreasing subsequence of the
/// smoothed loss, from its start a third and then a sixth of its length onwards (fastai 2.7 <c>valley</c>).</item>
/// <item>Band: from the steepest point, walk back (towards lower rates) while the slope stays at most
/// <see cref="BandSlopeFraction"/> times the steepest slope; where the walk stops (the loss starts to fall fast) is the
/// band's low end, and the minimum its high end. Walking back keeps the low end on the steep stretch: a noisy dip
/// anywhere on the plateau before it cannot pull the band decades lower. The band is empty, an
/// <see cref="LrBandException"/>, when the loss never falls (steepest slope &gt;= 0), the band has no width, or the
/// level falls by less than <see cref="MinimumDrop"/> (relative) across it.</item>
/// <item>Candidates: N rates log-spaced over the band, both ends included (N = 1: its geometric middle).</item>
/// </list>
/// </summary>
public static class LrSuggester
{
    /// <summary>Share of the points ignored at each end of the curve.</summary>
    public const double EdgeFraction = 0.05;

    /// <summary>
    /// Half-width of the local fit, as a share of the sweep's span in decades (0.3 decades for 1e-6 .. 1): wide enough to
    /// average the noise of a few hundred steps of the default sweep, narrow against a fall that takes one or two decades.
    /// </summary>
    public const double FitHalfWidth = 0.05;

    /// <summary>The band starts where, walking back from the steepest point, the slope rises above this fraction of the steepest slope.</summary>
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
        var (slope, level) = LocalFits(x, smoothed, first, last, FitHalfWidth * (x[n - 1] - x[0]));
        var minimum = ArgMin(first, last, i => level[i]);
        var steepest = ArgMin(first, minimum, i => slope[i]);
        if (!(slope[steepest] < 0))
        {
            throw new LrBandException(
                $"The smoothed loss never falls between {lrs[first]:G3} and {lrs[last]:G3}, so there is no band of good learning rates; sweep higher rates or more steps.");
        }

        var low = steepest;
        while (low > first && slope[low - 1] <= BandSlopeFraction * slope[steepest])
        {
            low--;
        }

        var drop = (level[low] - level[minimum]) / Math.Abs(level[low]);
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

    /// <summary>
    /// Slope and mean of the least-squares line through (x[j], s[j]) for |x[j] - x[i]| &lt;= <paramref name="halfWidth"/>,
    /// for i in first..last (x increasing, 1 &lt;= first, last &lt;= n - 2; at least points i-1, i and i+1 are used).
    /// </summary>
    private static (double[] Slope, double[] Level) LocalFits(double[] x, IReadOnlyList<double> s, int first, int last, double halfWidth)
    {
        var (slope, level) = (new double[x.Length], new double[x.Length]);
        var (a, b) = (0, 0);
        for (var i = first; i <= last; i++)
        {
            while (a < i - 1 && x[i] - x[a] > halfWidth)
            {
                a++;
            }

            b = Math.Max(b, i + 1);
            while (b + 1 < x.Length && x[b + 1] - x[i] <= halfWidth)
            {
                b++;
            }

            var (sx, ss) = (0.0, 0.0);
            for (var j = a; j <= b; j++)
            {
                (sx, ss) = (sx + x[j], ss + s[j]);
            }

            var (mx, ms) = (sx / (b - a + 1), ss / (b - a + 1));
            var (sxy, sxx) = (0.0, 0.0);
            for (var j = a; j <= b; j++)
            {
                (sxy, sxx) = (sxy + ((x[j] - mx) * (s[j] - ms)), sxx + ((x[j] - mx) * (x[j] - mx)));
            }

            (slope[i], level[i]) = (sxy / sxx, ms);
        }

        return (slope, level);
    }

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
