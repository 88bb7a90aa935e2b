namespace GpuTrainer.Logging;

/// <summary>
/// A dependency-free line chart rendered to PNG: named (x, y) series in distinct colours and solid, dashed or dotted lines, axes with numeric
/// tick labels and grid lines, optional log-scale x and y, a title, axis labels, a legend placed in the
/// emptiest corner, and labelled vertical marker lines (e.g. suggested learning rates).
/// Points that cannot be placed (NaN, infinities, values &lt;= 0 on a log axis) are skipped and break the
/// line there. Series of at most 50 points (per-epoch metrics) get a dot at every point, so a lone point shows. Lines leaving a fixed <see cref="YRange"/> are clipped.
/// </summary>
public sealed class LinePlot
{
    private const int Margin = 16, TextScale = 2, TitleScale = 3, TickLength = 6, Gap = 8;
    private const double LineWidth = 2.5, DotDiameter = 7;

    /// <summary>Series with at most this many points (e.g. per-epoch metrics) also get a dot at every point.</summary>
    private const int MaxDottedPoints = 50;

    private static readonly Rgb[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    private static readonly Rgb MajorGrid = new(222, 222, 222), MinorGrid = new(240, 240, 240), MarkerColor = new(64, 64, 64);

    private readonly List<Series> _series = [];
    private readonly List<(double X, string Label)> _markers = [];

    /// <summary>Title drawn above the plot; empty for none.</summary>
    public string Title { get; set; } = "";

    /// <summary>Label under the x axis; empty for none.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Label left of the y axis, reading upwards; empty for none.</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Place x by its base-10 logarithm (e.g. learning rate in an LR range test).</summary>
    public bool LogX { get; set; }

    /// <summary>Place y by its base-10 logarithm.</summary>
    public bool LogY { get; set; }

    /// <summary>Fixed x range (data units); null to fit the data (e.g. epochs 0 .. E, so that one epoch still spans the axis).</summary>
    public (double Min, double Max)? XRange { get; set; }

    /// <summary>Fixed y range (data units); null to fit the data. Useful when a diverging loss would squash the curve.</summary>
    public (double Min, double Max)? YRange { get; set; }

    /// <summary>Image width in pixels (at least 240).</summary>
    public int Width { get; set; } = 1000;

    /// <summary>Image height in pixels (at least 180).</summary>
    public int Height { get; set; } = 640;

    /// <summary>The colour the <paramref name="index"/>-th series gets unless one is given (ten distinct colours, then repeating).</summary>
    public static Rgb SeriesColor(int index) => Palette[index % Palette.Length];

    /// <summary>Adds a series; <paramref name="x"/> and <paramref name="y"/> are paired by index.</summary>
    /// <param name="name">Legend entry; empty to leave the series out of the legend.</param>
    /// <param name="x">X values.</param>
    /// <param name="y">Y values, as many as <paramref name="x"/>.</param>
    /// <param name="color">Line colour; by default <see cref="SeriesColor"/> of the series' index.</param>
    /// <param name="style">Solid, dashed or dotted line (the legend shows it too).</param>
    public void AddSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, Rgb? color = null, LineStyle style = LineStyle.Solid)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Series '{name}' has {x.Count} x values but {y.Count} y values.", nameof(y));
        }

        _series.Add(new Series(name, [.. x], [.. y], color ?? SeriesColor(_series.Count), style));
    }

    /// <summary>Adds a dashed vertical line at <paramref name="x"/> with <paramref name="label"/> near its top.</summary>
    public void AddMarker(double x, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _markers.Add((x, label));
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

        var xAxis = new PlotAxis(LogX, _series.SelectMany(s => s.X).Concat(_markers.Select(m => m.X)), XRange);
        var yAxis = new PlotAxis(LogY, _series.SelectMany(s => s.Y), YRange);
        var area = Layout(xAxis, yAxis, out var xTicks, out var yTicks);
        var canvas = new Canvas(Width, Height, Rgb.White);

        DrawGrid(canvas, area, xAxis, yAxis, xTicks, yTicks);
        var placed = _series.Select(s => Place(s, area, xAxis, yAxis)).ToList();
        for (var i = 0; i < _series.Count; i++)
        {
            foreach (var piece in placed[i].SelectMany(run => Dashes(run, _series[i].Style)))
            {
                canvas.StrokePolyline(piece, LineWidth, _series[i].Color, area);
            }

            if (_series[i].X.Length <= MaxDottedPoints)
            {
                foreach (var point in placed[i].SelectMany(run => run))
                {
                    canvas.StrokePolyline([point], DotDiameter, _series[i].Color, area);
                }
            }
        }

        DrawMarkers(canvas, area, xAxis);
        DrawAxes(canvas, area, xAxis, yAxis, xTicks, yTicks);
        DrawLegend(canvas, area, placed);
        return PngEncoder.Encode(Width, Height, canvas.Pixels);
    }

    private PixelRect Layout(
        PlotAxis xAxis, PlotAxis yAxis,
        out IReadOnlyList<(double Value, string Label)> xTicks, out IReadOnlyList<(double Value, string Label)> yTicks)
    {
        var textHeight = Canvas.TextHeight(TextScale);
        var top = Margin + (Title.Length > 0 ? Canvas.TextHeight(TitleScale) + (Gap * 2) : Gap);
        var bottom = Height - Margin - textHeight - TickLength - Gap - (XLabel.Length > 0 ? textHeight + Gap : 0);
        var vertical = new PixelRect(0, top, 1, bottom);
        yTicks = FirstFitting(yAxis, ticks => Spacings(ticks, t => PixelY(vertical, yAxis, t.Value)).All(d => d >= 3 * textHeight));

        var yLabelWidth = yTicks.Count == 0 ? 0 : yTicks.Max(t => Canvas.TextWidth(t.Label, TextScale));
        var left = Margin + (YLabel.Length > 0 ? textHeight + Gap : 0) + yLabelWidth + TickLength + Gap;
        var area = new PixelRect(left, top, Width - (Margin * 2), bottom);
        xTicks = FirstFitting(xAxis, ticks =>
            ticks.Zip(ticks.Skip(1)).All(pair =>
                PixelX(area, xAxis, pair.Second.Value) - PixelX(area, xAxis, pair.First.Value) >=
                Math.Max(60, ((Canvas.TextWidth(pair.First.Label, TextScale) + Canvas.TextWidth(pair.Second.Label, TextScale)) / 2) + (Gap * 3))));
        return area;
    }

    /// <summary>The densest tick set of <paramref name="axis"/> that <paramref name="fits"/>, else its sparsest.</summary>
    private static IReadOnlyList<(double Value, string Label)> FirstFitting(
        PlotAxis axis, Func<IReadOnlyList<(double Value, string Label)>, bool> fits)
    {
        IReadOnlyList<(double Value, string Label)> last = [];
        foreach (var ticks in axis.TickCandidates())
        {
            if (fits(ticks))
            {
                return ticks;
            }

            last = ticks;
        }

        return last;
    }

    private static IEnumerable<double> Spacings(
        IReadOnlyList<(double Value, string Label)> ticks, Func<(double Value, string Label), double> pixel) =>
        ticks.Zip(ticks.Skip(1)).Select(pair => Math.Abs(pixel(pair.Second) - pixel(pair.First)));

    private static double PixelX(PixelRect area, PlotAxis axis, double value) => area.Left + (axis.Position(value) * area.Width);

    private static double PixelY(PixelRect area, PlotAxis axis, double value) => area.Bottom - (axis.Position(value) * area.Height);

    /// <summary>The series as pixel polylines, split wherever a point cannot be placed.</summary>
    private static List<List<(double X, double Y)>> Place(Series series, PixelRect area, PlotAxis xAxis, PlotAxis yAxis)
    {
        var runs = new List<List<(double X, double Y)>>();
        List<(double X, double Y)>? run = null;
        for (var i = 0; i < series.X.Length; i++)
        {
            if (!xAxis.Accepts(series.X[i]) || !yAxis.Accepts(series.Y[i]))
            {
                run = null;
                continue;
            }

            if (run is null)
            {
                run = [];
                runs.Add(run);
            }

            run.Add((PixelX(area, xAxis, series.X[i]), PixelY(area, yAxis, series.Y[i])));
        }

        return runs;
    }

    private static void DrawGrid(
        Canvas canvas, PixelRect area, PlotAxis xAxis, PlotAxis yAxis,
        IReadOnlyList<(double Value, string Label)> xTicks, IReadOnlyList<(double Value, string Label)> yTicks)
    {
        foreach (var value in xAxis.MinorTicks(xTicks))
        {
            var x = (int)PixelX(area, xAxis, value);
            canvas.FillRect(x, area.Top, x + 1, area.Bottom, MinorGrid);
        }

        foreach (var value in yAxis.MinorTicks(yTicks))
        {
            var y = (int)PixelY(area, yAxis, value);
            canvas.FillRect(area.Left, y, area.Right, y + 1, MinorGrid);
        }

        foreach (var (value, _) in xTicks)
        {
            var x = (int)PixelX(area, xAxis, value);
            canvas.FillRect(x, area.Top, x + 1, area.Bottom, MajorGrid);
        }

        foreach (var (value, _) in yTicks)
        {
            var y = (int)PixelY(area, yAxis, value);
            canvas.FillRect(area.Left, y, area.Right, y + 1, MajorGrid);
        }
    }

    private void DrawMarkers(Canvas canvas, PixelRect area, PlotAxis xAxis)
    {
        var placed = _markers.Where(m => xAxis.Accepts(m.X)).Select(m => ((int)PixelX(area, xAxis, m.X), m.Label)).ToList();
        foreach (var (x, _) in placed)
        {
            for (var y = area.Top; y < area.Bottom; y += 12)
            {
                canvas.FillRect(x - 1, y, x + 1, Math.Min(y + 7, area.Bottom), MarkerColor);
            }
        }

        // Labels after every line, each on its own row, so no line crosses a label.
        var textHeight = Canvas.TextHeight(TextScale);
        for (var i = 0; i < placed.Count; i++)
        {
            var (x, label) = placed[i];
            var width = Canvas.TextWidth(label, TextScale);
            var textX = x + Gap + width <= area.Right - 2 ? x + Gap : x - Gap - width;
            var textY = area.Top + Gap + (i * (textHeight + Gap));
            if (label.Length > 0)
            {
                canvas.FillRect(textX - 3, textY - 3, textX + width + 3, textY + textHeight + 3, Rgb.White);
                canvas.DrawText(label, textX, textY, TextScale, MarkerColor);
            }
        }
    }

    private void DrawAxes(
        Canvas canvas, PixelRect area, PlotAxis xAxis, PlotAxis yAxis,
        IReadOnlyList<(double Value, string Label)> xTicks, IReadOnlyList<(double Value, string Label)> yTicks)
    {
        var textHeight = Canvas.TextHeight(TextScale);
        canvas.FillRect(area.Left - 1, area.Top - 1, area.Right + 1, area.Top, Rgb.Black);
        canvas.FillRect(area.Left - 1, area.Bottom, area.Right + 1, area.Bottom + 1, Rgb.Black);
        canvas.FillRect(area.Left - 1, area.Top - 1, area.Left, area.Bottom + 1, Rgb.Black);
        canvas.FillRect(area.Right, area.Top - 1, area.Right + 1, area.Bottom + 1, Rgb.Black);

        foreach (var (value, label) in xTicks)
        {
            var x = (int)PixelX(area, xAxis, value);
            canvas.FillRect(x, area.Bottom, x + 1, area.Bottom + TickLength, Rgb.Black);
            var width = Canvas.TextWidth(label, TextScale);
            var textX = Math.Clamp(x - (width / 2), 0, Width - width);
            canvas.DrawText(label, textX, area.Bottom + TickLength + Gap / 2, TextScale, Rgb.Black);
        }

        foreach (var (value, label) in yTicks)
        {
            var y = (int)PixelY(area, yAxis, value);
            canvas.FillRect(area.Left - TickLength, y, area.Left, y + 1, Rgb.Black);
            var width = Canvas.TextWidth(label, TextScale);
            canvas.DrawText(label, area.Left - TickLength - Gap - width, y - (textHeight / 2) + TextScale, TextScale, Rgb.Black);
        }

        if (XLabel.Length > 0)
        {
            var width = Canvas.TextWidth(XLabel, TextScale);
            canvas.DrawText(XLabel, area.Left + ((area.Width - width) / 2), Height - Margin - textHeight, TextScale, Rgb.Black);
        }

        if (YLabel.Length > 0)
        {
            var width = Canvas.TextWidth(YLabel, TextScale);
            canvas.DrawTextUpwards(YLabel, Margin, area.Top + ((area.Height + width) / 2), TextScale, Rgb.Black);
        }

        if (Title.Length > 0)
        {
            var width = Canvas.TextWidth(Title, TitleScale);
            canvas.DrawText(Title, Math.Max(Margin, area.Left + ((area.Width - width) / 2)), Margin, TitleScale, Rgb.Black);
        }
    }

    /// <summary>Draws the legend in the corner of the plot area that covers the fewest data points.</summary>
    private void DrawLegend(Canvas canvas, PixelRect area, List<List<List<(double X, double Y)>>> placed)
    {
        var entries = Enumerable.Range(0, _series.Count).Where(i => _series[i].Name.Length > 0).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        const int swatch = 28;
        var rowHeight = Canvas.TextHeight(TextScale) + Gap;
        var width = swatch + (Gap * 3) + entries.Max(i => Canvas.TextWidth(_series[i].Name, TextScale));
        var height = (entries.Count * rowHeight) + Gap;
        PixelRect[] corners =
        [
            new(area.Right - Gap - width, area.Top + Gap, area.Right - Gap, area.Top + Gap + height),
            new(area.Left + Gap, area.Top + Gap, area.Left + Gap + width, area.Top + Gap + height),
            new(area.Right - Gap - width, area.Bottom - Gap - height, area.Right - Gap, area.Bottom - Gap),
            new(area.Left + Gap, area.Bottom - Gap - height, area.Left + Gap + width, area.Bottom - Gap),
        ];
        var points = placed.SelectMany(runs => runs.SelectMany(run => run)).ToList();
        var box = corners.MinBy(c => points.Count(p => p.X >= c.Left && p.X < c.Right && p.Y >= c.Top && p.Y < c.Bottom));

        canvas.FillRect(box.Left, box.Top, box.Right, box.Bottom, new Rgb(160, 160, 160));
        canvas.FillRect(box.Left + 1, box.Top + 1, box.Right - 1, box.Bottom - 1, Rgb.White);
        for (var row = 0; row < entries.Count; row++)
        {
            var series = _series[entries[row]];
            var y = box.Top + Gap + (row * rowHeight);
            var lineY = y + (Canvas.TextHeight(TextScale) / 2) - 1;
            foreach (var piece in Dashes([(box.Left + Gap, lineY + 1.5), (box.Left + Gap + swatch, lineY + 1.5)], series.Style))
            {
                canvas.StrokePolyline(piece, 3, series.Color, box);
            }

            canvas.DrawText(series.Name, box.Left + (Gap * 2) + swatch, y, TextScale, Rgb.Black);
        }
    }

    /// <summary>
    /// The pieces of <paramref name="line"/> to stroke for <paramref name="style"/>: the whole line when solid, else
    /// alternating drawn and skipped lengths along it (dashed: 12 on, 7 off; dotted: 3 on, 6 off, in pixels).
    /// </summary>
    private static IEnumerable<(double X, double Y)[]> Dashes(IReadOnlyList<(double X, double Y)> line, LineStyle style)
    {
        if (style == LineStyle.Solid || line.Count < 2)
        {
            yield return [.. line];
            yield break;
        }

        var (on, off) = style == LineStyle.Dashed ? (12.0, 7.0) : (3.0, 6.0);
        var (drawing, left) = (true, on);
        var piece = new List<(double X, double Y)> { line[0] };
        for (var i = 0; i + 1 < line.Count; i++)
        {
            var (a, b) = (line[i], line[i + 1]);
            var length = Math.Sqrt(((b.X - a.X) * (b.X - a.X)) + ((b.Y - a.Y) * (b.Y - a.Y)));
            var done = 0.0;
            while (length - done > left)
            {
                done += left;
                var t = done / length;
                var point = (a.X + (t * (b.X - a.X)), a.Y + (t * (b.Y - a.Y)));
                if (drawing)
                {
                    piece.Add(point);
                    yield return [.. piece];
                }

                piece = [point];
                (drawing, left) = (!drawing, drawing ? off : on);
            }

            left -= length - done;
            if (drawing)
            {
                piece.Add(b);
            }
            else
            {
                piece = [b];
            }
        }

        if (drawing && piece.Count > 1)
        {
            yield return [.. piece];
        }
    }

    private sealed record Series(string Name, double[] X, double[] Y, Rgb Color, LineStyle Style);
}
