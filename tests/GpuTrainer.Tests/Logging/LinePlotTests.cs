using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class LinePlotTests
{
    private static readonly Rgb Red = new(220, 0, 0), Teal = new(0, 128, 128);

    [Fact]
    public void RendersValidPngOfRequestedSizeOnWhite()
    {
        var plot = new LinePlot { Title = "Loss", XLabel = "step", YLabel = "loss", Width = 420, Height = 300 };
        plot.AddSeries("train", [0, 1, 2, 3], [2.3, 1.1, 0.7, 0.5]);
        var png = DecodedPng.Decode(plot.RenderPng());

        Assert.Equal((420, 300), (png.Width, png.Height));
        Assert.Equal(Rgb.White, png[0, 0]);
        Assert.Equal(Rgb.White, png[419, 299]);
        Assert.NotEmpty(png.PixelsOf(LinePlot.SeriesColor(0)));
        Assert.Empty(png.PixelsOf(LinePlot.SeriesColor(1)));
        Assert.NotEmpty(png.PixelsOf(Rgb.Black));
    }

    [Fact]
    public void HorizontalSeriesIsDrawnAsHorizontalBand()
    {
        var plot = new LinePlot { Width = 400, Height = 300, YRange = (0, 2) };
        plot.AddSeries("", [.. Enumerable.Range(0, 100).Select(i => (double)i)], [.. Enumerable.Repeat(1.0, 100)], Red);
        var red = DecodedPng.Decode(plot.RenderPng()).PixelsOf(Red).ToList();

        Assert.InRange(red.Max(p => p.Y) - red.Min(p => p.Y), 1, 3);
        Assert.True(red.Max(p => p.X) - red.Min(p => p.X) > 250, "the line should run across most of the plot");
    }

    [Theory]
    [InlineData(LineStyle.Solid, 0, 0)]
    [InlineData(LineStyle.Dashed, 12, 20)]    // 12 on, 7 off along about 320 pixels: gaps of about 7 pixels
    [InlineData(LineStyle.Dotted, 30, 45)]    // 3 on, 6 off
    public void LineStylesLeaveTheirGapsAlongTheLine(LineStyle style, int minGaps, int maxGaps)
    {
        var plot = new LinePlot { Width = 400, Height = 300, YRange = (0, 2) };
        plot.AddSeries("", [.. Enumerable.Range(0, 100).Select(i => (double)i)], [.. Enumerable.Repeat(1.0, 100)], Red, style);
        var columns = DecodedPng.Decode(plot.RenderPng()).PixelsOf(Red).Select(p => p.X).Distinct().Order().ToList();

        // A gap: a run of columns without red between the first and the last red column.
        var gaps = columns.Zip(columns.Skip(1)).Count(pair => pair.Second - pair.First > 1);
        Assert.InRange(gaps, minGaps, maxGaps);
        Assert.True(columns[^1] - columns[0] > 250, "the line should still run across most of the plot");
    }

    [Fact]
    public void AFixedXRangeSpansTheAxisEvenForOnePoint()
    {
        // One epoch: a single point at x = 1 on an axis from 0 to 1 sits at its right end, not in the middle.
        var plot = new LinePlot { Width = 400, Height = 300, XRange = (0, 1) };
        plot.AddSeries("", [1], [0.5], Red);
        var red = DecodedPng.Decode(plot.RenderPng()).PixelsOf(Red).ToList();
        Assert.InRange(red.Average(p => p.X), 330, 400);
    }

    [Fact]
    public void DistinctSeriesGetDistinctColoursAndLegendEntries()
    {
        var plot = new LinePlot { Width = 500, Height = 320 };
        plot.AddSeries("sgd", [1, 2, 3], [3, 2, 1]);
        plot.AddSeries("adam", [1, 2, 3], [1, 2, 3]);
        var png = DecodedPng.Decode(plot.RenderPng());

        Assert.NotEqual(LinePlot.SeriesColor(0), LinePlot.SeriesColor(1));
        Assert.NotEmpty(png.PixelsOf(LinePlot.SeriesColor(0)));
        Assert.NotEmpty(png.PixelsOf(LinePlot.SeriesColor(1)));
    }

    [Fact]
    public void PointsThatCannotBePlacedAreSkipped()
    {
        var plot = new LinePlot { Width = 400, Height = 300, LogX = true, LogY = true };
        plot.AddSeries("", [0, -1, double.NaN, 1e-3, double.PositiveInfinity], [1, 1, 1, double.NaN, 5], Red);
        plot.AddSeries("", [1e-5, 1e-3, 1e-1], [0.5, 0.1, 2], Teal);
        var png = DecodedPng.Decode(plot.RenderPng());

        Assert.Empty(png.PixelsOf(Red));
        Assert.NotEmpty(png.PixelsOf(Teal));
    }

    [Fact]
    public void MarkerDrawsVerticalLineAtItsValue()
    {
        var plot = new LinePlot { Width = 400, Height = 300, LogX = true };
        plot.AddSeries("", [1e-4, 1e-2, 1], [1, 0.5, 2], Teal);
        plot.AddMarker(1e-2, "");
        var markerPixels = DecodedPng.Decode(plot.RenderPng()).PixelsOf(new Rgb(64, 64, 64)).ToList();

        Assert.InRange(markerPixels.Max(p => p.X) - markerPixels.Min(p => p.X), 0, 1);
        Assert.True(markerPixels.Max(p => p.Y) - markerPixels.Min(p => p.Y) > 150, "the marker should span the plot height");
        Assert.InRange(markerPixels[0].X, 170, 230); // 1e-2 is the middle of 1e-4..1 on a log axis
    }

    [Fact]
    public void SaveRefusesToOverwriteAndLeavesNoPartialFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("plots/lr.png");
        var plot = new LinePlot { Width = 300, Height = 200 };
        plot.AddSeries("a", [1, 2], [1, 2]);
        plot.Save(path);

        Assert.Equal(300, DecodedPng.Decode(File.ReadAllBytes(path)).Width);
        var error = Assert.Throws<IOException>(() => plot.Save(path));
        Assert.Equal($"The file '{path}' already exists; choose another name or allow overwriting.", error.Message);
        plot.Save(path, overwrite: true);
        Assert.Equal(["lr.png"], Directory.GetFiles(dir.File("plots")).Select(Path.GetFileName));
    }

    [Fact]
    public void MismatchedSeriesLengthsThrow()
    {
        var error = Assert.Throws<ArgumentException>(() => new LinePlot().AddSeries("loss", [1, 2, 3], [1, 2]));
        Assert.StartsWith("Series 'loss' has 3 x values but 2 y values.", error.Message, StringComparison.Ordinal);
    }
}
