using GpuTrainer.Reports;
using Xunit;

namespace GpuTrainer.Tests.Reports;

/// <summary>The ScottPlot line chart: size, series colours, anti-aliased text in the embedded font, styles, log axes, errors.</summary>
public sealed class LinePlotTests
{
    [Fact]
    public void DrawsTheSeriesInItsPaletteColourAndAntiAliasedTitleText()
    {
        var plot = new LinePlot { Title = "Loss per step", XLabel = "step", YLabel = "loss", Width = 600, Height = 400 };
        plot.AddSeries("train", [0, 1, 2, 3], [3, 2, 1.5, 1.2], color: 2);

        var png = PngImage.Decode(plot.RenderPng());

        Assert.Equal((600, 400), (png.Width, png.Height));
        Assert.True(png.Count(LinePlot.ColorHex(2)) > 200);
        Assert.Equal(0, png.Count(LinePlot.ColorHex(3)));
        Assert.True(png.CountDark(0, 0, 600, 30) > 100, "the title is drawn");
        Assert.True(png.GreyLevels(0, 0, 600, 30) > 10, "the title is anti-aliased");
    }

    [Fact]
    public void ADashedLineLeavesGapsASolidOneDoesNot()
    {
        int Drawn(LineStyle style)
        {
            var plot = new LinePlot { Width = 400, Height = 300, YRange = (0, 2) };
            plot.AddSeries("", [0, 1], [1, 1], color: 0, style: style);
            return PngImage.Decode(plot.RenderPng()).Count(LinePlot.ColorHex(0), tolerance: 40);
        }

        var (solid, dashed, dotted) = (Drawn(LineStyle.Solid), Drawn(LineStyle.Dashed), Drawn(LineStyle.Dotted));
        Assert.InRange(dashed, solid / 2, solid * 9 / 10);
        Assert.True(dotted < dashed, $"dotted {dotted} < dashed {dashed}");
    }

    [Fact]
    public void LogAxesSkipValuesTheyCannotPlaceAndStillDraw()
    {
        var plot = new LinePlot { Width = 400, Height = 300, LogX = true, LogY = true };
        plot.AddSeries("loss", [1e-6, 1e-4, 0, 1e-2, 1], [2, 1, 5, double.NaN, 0.5], color: 1);
        plot.AddMarker(1e-3, "steepest 1e-03");

        Assert.True(PngImage.Decode(plot.RenderPng()).Count(LinePlot.ColorHex(1)) > 50);
    }

    [Fact]
    public void SaveWritesTheWholeFileOnlyAndRefusesToOverwrite()
    {
        using var dir = new TempDirectory();
        var path = dir.File("lr.png");
        var plot = new LinePlot { Width = 300, Height = 200 };
        plot.AddSeries("a", [0, 1], [0, 1]);

        plot.Save(path);

        Assert.Equal(["lr.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Throws<IOException>(() => plot.Save(path));
        plot.Save(path, overwrite: true);
    }

    [Fact]
    public void MismatchedSeriesLengthsNameTheSeries()
    {
        var error = Assert.Throws<ArgumentException>(() => new LinePlot().AddSeries("loss", [1, 2, 3], [1, 2]));
        Assert.Contains("'loss' has 3 x values but 2 y values", error.Message, StringComparison.Ordinal);
    }
}
