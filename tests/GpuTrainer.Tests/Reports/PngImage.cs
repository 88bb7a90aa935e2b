using SkiaSharp;
using Xunit;

namespace GpuTrainer.Tests.Reports;

/// <summary>A PNG decoded by SkiaSharp, for asserting what a plot drew.</summary>
internal sealed class PngImage
{
    private readonly SKBitmap _bitmap;

    private PngImage(SKBitmap bitmap) => _bitmap = bitmap;

    public int Width => _bitmap.Width;

    public int Height => _bitmap.Height;

    public static PngImage Decode(byte[] file)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, file[..8]);
        return new PngImage(SKBitmap.Decode(file) ?? throw new InvalidDataException("SkiaSharp could not decode the PNG."));
    }

    public static PngImage Read(string path) => Decode(File.ReadAllBytes(path));

    /// <summary>Pixels in the rectangle whose colour is within <paramref name="tolerance"/> per channel of <paramref name="hex"/> (#rrggbb).</summary>
    public int Count(string hex, int tolerance = 8, (int X, int Y, int Width, int Height)? area = null)
    {
        var target = SKColor.Parse(hex);
        return Pixels(area).Count(p => Math.Abs(p.Red - target.Red) <= tolerance && Math.Abs(p.Green - target.Green) <= tolerance && Math.Abs(p.Blue - target.Blue) <= tolerance);
    }

    /// <summary>Dark grey-to-black pixels (text, axes) in the rectangle.</summary>
    public int CountDark(int X, int Y, int Width, int Height) => Pixels((X, Y, Width, Height)).Count(p => p.Red < 110 && p.Green < 110 && p.Blue < 110);

    /// <summary>Distinct grey levels of the text pixels in the rectangle: anti-aliased text has many, bitmap text two.</summary>
    public int GreyLevels(int X, int Y, int Width, int Height) => Pixels((X, Y, Width, Height)).Where(p => p.Red == p.Green && p.Green == p.Blue).Select(p => p.Red).Distinct().Count();

    private IEnumerable<SKColor> Pixels((int X, int Y, int Width, int Height)? area)
    {
        var (x0, y0, w, h) = area ?? (0, 0, Width, Height);
        for (var y = y0; y < y0 + h; y++)
        {
            for (var x = x0; x < x0 + w; x++)
            {
                yield return _bitmap.GetPixel(x, y);
            }
        }
    }
}
