using System.Globalization;
using GpuTrainer.Logging;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace GpuTrainer.Reports;

/// <summary>
/// A line chart drawn by ScottPlot 5 into a PNG: named (x, y) series coloured from a ten-colour palette, solid, dashed
/// or dotted, optional base-10 log axes (the data is placed by its logarithm and the ticks read in data units), a title,
/// axis labels, a legend beside the plot (so it never covers data) and labelled vertical markers. Points that cannot be
/// placed (NaN, infinities, values &lt;= 0 on a log axis) break the line there. Series of at most 50 points (per-epoch
/// metrics) get a dot at every point, so a lone point shows. Text is drawn in <see cref="PlotFont"/>.
/// </summary>
public sealed class LinePlot
{
    /// <summary>Series with at most this many points (e.g. per-epoch metrics) also get a dot at every point.</summary>
    private const int MaxDottedPoints = 50;

    private static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"), Color.FromHex("#9467bd"),
        Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"), Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    private static readonly LinePattern Dashed = new([9, 5], 0, "dashed"), Dotted = new([2, 4], 0, "dotted");

    private readonly List<Series> _series = [];
    private readonly List<(double X, string Label)> _markers = [];
    private readonly List<(double Low, double High, string Label)> _spans = [];

    /// <summary>Title drawn above the plot; empty for none.</summary>
    public string Title { get; set; } = "";

    /// <summary>Label under the x axis; empty for none.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Label left of the y axis; empty for none.</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Place x by its base-10 logarithm (e.g. learning rate).</summary>
    public bool LogX { get; set; }

    /// <summary>Place y by its base-10 logarithm (e.g. loss).</summary>
    public bool LogY { get; set; }

    /// <summary>Read y ticks as percentages (a fraction 0.985 reads 98.5%).</summary>
    public bool PercentY { get; set; }

    /// <summary>Fixed x range (data units); null to fit the data.</summary>
    public (double Min, double Max)? XRange { get; set; }

    /// <summary>Fixed y range (data units); null to fit the data. Lines leaving it are clipped.</summary>
    public (double Min, double Max)? YRange { get; set; }

    /// <summary>Image width in pixels (at least 240).</summary>
    public int Width { get; set; } = 1000;

    /// <summary>Image height in pixels (at least 180).</summary>
    public int Height { get; set; } = 640;

    /// <summary>The palette's colour <paramref name="index"/> (ten colours, then repeating) as #rrggbb, as the report page uses it too.</summary>
    public static string ColorHex(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length].ToHex()[..7];

    /// <summary>Adds a series; <paramref name="x"/> and <paramref name="y"/> are paired by index.</summary>
    /// <param name="name">Legend entry; empty to leave the series out of the legend.</param>
    /// <param name="x">X values.</param>
    /// <param name="y">Y values, as many as <paramref name="x"/>.</param>
    /// <param name="color">Palette index; by default the series' own index.</param>
    /// <param name="style">Solid, dashed or dotted line (the legend shows it too).</param>
    /// <param name="faint">Draw it light and thin, behind the others (e.g. the raw curve behind its smoothed one).</param>
    /// <param name="pointsOnly">Only dots, no line joining them (e.g. chosen candidates on a curve).</param>
    public void AddSeries(
        string name, IReadOnlyList<double> x, IReadOnlyList<double> y, int? color = null, LineStyle style = LineStyle.Solid, bool faint = false, bool pointsOnly = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Series '{name}' has {x.Count} x values but {y.Count} y values.", nameof(y));
        }

        _series.Add(new Series(name, [.. x], [.. y], color ?? _series.Count, style, faint, pointsOnly));
    }

    /// <summary>Adds a dashed vertical line at <paramref name="x"/>, named <paramref name="label"/> in the legend (each marker its own colour).</summary>
    public void AddMarker(double x, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _markers.Add((x, label));
    }

    /// <summary>Shades the x range <paramref name="low"/> .. <paramref name="high"/> behind the series, named <paramref name="label"/> in the legend.</summary>
    public void AddSpan(double low, double high, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _spans.Add((low, high, label));
    }

    /// <summary>Renders the plot and writes it as PNG to <paramref name="path"/>, which appears only once complete.</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
    public void Save(string path, bool overwrite = false)
    {
        StagedFile.ThrowIfExists(Path.GetFullPath(path), overwrite);
        var png = RenderPng();
        using var file = new StagedFile(path, overwrite);
        file.Stream.Write(png);
        file.Commit();
    }

    /// <summary>Renders the plot as PNG bytes.</summary>
    public byte[] RenderPng()
    {
        if (Width < 240 || Height < 180)
        {
            throw new InvalidOperationException($"A plot needs at least 240x180 pixels, not {Width}x{Height}.");
        }

        PlotFont.Install();
        var plot = new Plot();
        plot.Font.Set(PlotFont.Family);
        plot.Legend.SetBestFontOnEachRender = false;
        if (Title.Length > 0)
        {
            plot.Title(Title);
        }

        plot.XLabel(XLabel);
        plot.YLabel(YLabel);
        plot.Axes.Title.Label.FontSize = 20;
        plot.Axes.Bottom.Label.FontSize = plot.Axes.Left.Label.FontSize = 16;
        plot.Axes.Bottom.TickLabelStyle.FontSize = plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 13;
        plot.Legend.SymbolWidth = 36;
        foreach (var (low, high, label) in _spans.Where(b => Accepts(LogX, b.Low) && Accepts(LogX, b.High)))
        {
            var span = plot.Add.HorizontalSpan(Place(LogX, low), Place(LogX, high));
            span.FillColor = Palette[2].WithAlpha(0.15);
            span.LineColor = Colors.Transparent;
            span.LegendText = label;
        }

        foreach (var series in _series.Where(s => s.Faint).Concat(_series.Where(s => !s.Faint)))
        {
            AddTo(plot, series);
        }

        var markerColors = new[] { Colors.DimGray, Palette[4], Palette[5], Palette[6] };
        var placed = _markers.Where(m => Accepts(LogX, m.X)).ToList();
        for (var i = 0; i < placed.Count; i++)
        {
            var line = plot.Add.VerticalLine(Place(LogX, placed[i].X));
            line.Color = markerColors[i % markerColors.Length];
            line.LineWidth = 1.5f;
            line.LinePattern = Dashed;
            line.LegendText = placed[i].Label;
        }

        plot.Axes.Bottom.TickGenerator = LogX ? LogTicks(Span(s => s.X, XRange, log: true)) : Ticks(percent: false);
        plot.Axes.Left.TickGenerator = LogY ? LogTicks(Span(s => s.Y, YRange, log: true)) : Ticks(PercentY);
        if (XRange is { } xr)
        {
            plot.Axes.SetLimitsX(Place(LogX, xr.Min), Place(LogX, xr.Max));
        }

        if (YRange is { } yr)
        {
            plot.Axes.SetLimitsY(Place(LogY, yr.Min), Place(LogY, yr.Max));
        }

        if (_series.Any(s => s.Name.Length > 0))
        {
            plot.ShowLegend(Edge.Right);
        }

        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private void AddTo(Plot plot, Series series)
    {
        var color = Palette[((series.Color % Palette.Length) + Palette.Length) % Palette.Length];
        var first = true;
        foreach (var (xs, ys) in Pieces(series))
        {
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.Color = series.Faint ? color.WithAlpha(0.35) : color;
            scatter.LineWidth = series.PointsOnly ? 0 : series.Faint ? 1 : 2;
            scatter.LinePattern = series.Style switch
            {
                LineStyle.Dashed => Dashed,
                LineStyle.Dotted => Dotted,
                _ => LinePattern.Solid,
            };
            scatter.MarkerSize = series.PointsOnly ? 10 : series.X.Length <= MaxDottedPoints ? 6 : 0;
            if (first && series.Name.Length > 0)
            {
                scatter.LegendText = series.Name;
            }

            first = false;
        }
    }

    /// <summary>The series placed on the axes (logarithms where an axis is logarithmic), split where a point cannot be placed.</summary>
    private IEnumerable<(double[] X, double[] Y)> Pieces(Series series)
    {
        var (xs, ys) = (new List<double>(), new List<double>());
        for (var i = 0; i <= series.X.Length; i++)
        {
            if (i < series.X.Length && Accepts(LogX, series.X[i]) && Accepts(LogY, series.Y[i]))
            {
                xs.Add(Place(LogX, series.X[i]));
                ys.Add(Place(LogY, series.Y[i]));
                continue;
            }

            if (xs.Count > 0)
            {
                yield return ([.. xs], [.. ys]);
                (xs, ys) = ([], []);
            }
        }
    }

    private static bool Accepts(bool log, double value) => double.IsFinite(value) && (!log || value > 0);

    private static double Place(bool log, double value) => log ? Math.Log10(value) : value;

    private static NumericAutomatic Ticks(bool percent)
    {
        var c = CultureInfo.InvariantCulture;
        return new NumericAutomatic { LabelFormatter = v => percent ? (v * 100).ToString("0.##", c) + "%" : v.ToString("G4", c) };
    }

    /// <summary>The smallest and largest value the axis shows (its fixed range, else the data's), or null when nothing can be placed.</summary>
    private (double Min, double Max)? Span(Func<Series, double[]> values, (double Min, double Max)? range, bool log)
    {
        if (range is { } r)
        {
            return r;
        }

        var placed = _series.SelectMany(values).Where(v => Accepts(log, v)).ToList();
        return placed.Count == 0 ? null : (placed.Min(), placed.Max());
    }

    /// <summary>
    /// Ticks of a log axis in data units: every decade labelled, and within a span of under two decades (a loss from
    /// 0.05 to 2.3) also 2 and 5 times each, so the axis never reads a single number; minor ticks at 1..9 per decade.
    /// </summary>
    private static NumericManual LogTicks((double Min, double Max)? span)
    {
        var ticks = new NumericManual();
        if (span is not { } s)
        {
            return ticks;
        }

        var (low, high) = ((int)Math.Floor(Math.Log10(s.Min)) - 1, (int)Math.Ceiling(Math.Log10(s.Max)) + 1);
        var dense = Math.Log10(s.Max) - Math.Log10(s.Min) < 2;
        var every = Math.Max(1, (high - low) / 8);   // at most about eight labelled decades
        var c = CultureInfo.InvariantCulture;
        for (var decade = low; decade <= high; decade++)
        {
            for (var m = 1; m <= 9; m++)
            {
                var value = m * Math.Pow(10, decade);
                var labelled = m == 1 ? (decade - low) % every == 0 : dense && m is 2 or 5;
                if (labelled)
                {
                    ticks.AddMajor(Math.Log10(value), Math.Abs(decade) >= 4 ? value.ToString("0e+0", c) : value.ToString("0.####", c));
                }
                else
                {
                    ticks.AddMinor(Math.Log10(value));
                }
            }
        }

        return ticks;
    }

    private sealed record Series(string Name, double[] X, double[] Y, int Color, LineStyle Style, bool Faint, bool PointsOnly);
}
