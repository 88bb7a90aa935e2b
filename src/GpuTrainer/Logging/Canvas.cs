namespace GpuTrainer.Logging;

/// <summary>
/// An RGB raster, pixels (height, width, 3) from the top left, with the few primitives a line plot needs:
/// rectangles, anti-aliased thick polylines (coverage from the exact distance to each segment), dots
/// and bitmap-font text, horizontal or rotated to read bottom-to-top.
/// </summary>
internal sealed class Canvas
{
    private readonly byte[] _rgb;

    /// <summary>A canvas of <paramref name="width"/> x <paramref name="height"/> filled with <paramref name="background"/>.</summary>
    public Canvas(int width, int height, Rgb background)
    {
        Width = width;
        Height = height;
        _rgb = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, (height, width, 3).</summary>
    public ReadOnlySpan<byte> Pixels => _rgb;

    /// <summary>Fills pixels x in [x0, x1), y in [y0, y1), clipped to the canvas.</summary>
    public void FillRect(int x0, int y0, int x1, int y1, Rgb color)
    {
        x0 = Math.Max(x0, 0);
        y0 = Math.Max(y0, 0);
        x1 = Math.Min(x1, Width);
        y1 = Math.Min(y1, Height);
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                Blend(x, y, color, 1);
            }
        }
    }

    /// <summary>
    /// Strokes a polyline of <paramref name="lineWidth"/> pixels through <paramref name="points"/> (pixel centres
    /// at integer + 0.5), drawing only inside <paramref name="clip"/>. Coverage is the maximum over segments,
    /// so joints are not painted twice.
    /// </summary>
    public void StrokePolyline(ReadOnlySpan<(double X, double Y)> points, double lineWidth, Rgb color, PixelRect clip)
    {
        if (points.IsEmpty)
        {
            return;
        }

        var halfWidth = lineWidth / 2;
        var coverage = new Dictionary<int, float>();
        if (points.Length == 1)
        {
            CoverSegment(points[0], points[0], halfWidth, clip, coverage);
        }

        for (var i = 0; i + 1 < points.Length; i++)
        {
            CoverSegment(points[i], points[i + 1], halfWidth, clip, coverage);
        }

        foreach (var (index, alpha) in coverage)
        {
            Blend(index % Width, index / Width, color, alpha);
        }
    }

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>), each font pixel <paramref name="scale"/> pixels wide.</summary>
    public void DrawText(string text, int x, int y, int scale, Rgb color)
    {
        for (var i = 0; i < text.Length; i++)
        {
            for (var column = 0; column < BitmapFont.GlyphWidth; column++)
            {
                for (var row = 0; row < BitmapFont.GlyphHeight; row++)
                {
                    if (BitmapFont.IsSet(text[i], column, row))
                    {
                        var px = x + ((i * BitmapFont.Advance) + column) * scale;
                        FillRect(px, y + row * scale, px + scale, y + (row + 1) * scale, color);
                    }
                }
            }
        }
    }

    /// <summary>Draws <paramref name="text"/> rotated a quarter turn anticlockwise (reading upwards); (x, y) is the bottom-left corner of the first glyph.</summary>
    public void DrawTextUpwards(string text, int x, int y, int scale, Rgb color)
    {
        for (var i = 0; i < text.Length; i++)
        {
            for (var column = 0; column < BitmapFont.GlyphWidth; column++)
            {
                for (var row = 0; row < BitmapFont.GlyphHeight; row++)
                {
                    if (BitmapFont.IsSet(text[i], column, row))
                    {
                        var py = y - ((i * BitmapFont.Advance) + column + 1) * scale;
                        FillRect(x + row * scale, py, x + (row + 1) * scale, py + scale, color);
                    }
                }
            }
        }
    }

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/> (no trailing gap).</summary>
    public static int TextWidth(string text, int scale) =>
        text.Length == 0 ? 0 : ((text.Length * BitmapFont.Advance) - 1) * scale;

    /// <summary>Height in pixels of a line of text at <paramref name="scale"/>, descenders included.</summary>
    public static int TextHeight(int scale) => BitmapFont.GlyphHeight * scale;

    private void CoverSegment((double X, double Y) a, (double X, double Y) b, double halfWidth, PixelRect clip, Dictionary<int, float> coverage)
    {
        var reach = halfWidth + 1;
        var x0 = Math.Max(clip.Left, (int)Math.Floor(Math.Min(a.X, b.X) - reach));
        var x1 = Math.Min(clip.Right, (int)Math.Ceiling(Math.Max(a.X, b.X) + reach));
        var dx = b.X - a.X;
        var dy = b.Y - a.Y;
        var lengthSquared = (dx * dx) + (dy * dy);
        for (var px = x0; px < x1; px++)
        {
            // Rows the segment can touch in this column: its y-extent over the column widened by the pen.
            var (yLow, yHigh) = RowSpan(a, b, px, reach);
            var y0 = Math.Max(clip.Top, (int)Math.Floor(yLow));
            var y1 = Math.Min(clip.Bottom, (int)Math.Ceiling(yHigh));
            for (var py = y0; py < y1; py++)
            {
                var cx = px + 0.5 - a.X;
                var cy = py + 0.5 - a.Y;
                var t = lengthSquared == 0 ? 0 : Math.Clamp(((cx * dx) + (cy * dy)) / lengthSquared, 0, 1);
                var distance = Math.Sqrt(Math.Pow(cx - (t * dx), 2) + Math.Pow(cy - (t * dy), 2));
                var alpha = (float)Math.Clamp(halfWidth + 0.5 - distance, 0, 1);
                if (alpha > 0)
                {
                    var index = (py * Width) + px;
                    coverage[index] = Math.Max(alpha, coverage.GetValueOrDefault(index));
                }
            }
        }
    }

    private static (double Low, double High) RowSpan((double X, double Y) a, (double X, double Y) b, int column, double reach)
    {
        var dx = b.X - a.X;
        if (Math.Abs(dx) < 1e-12)
        {
            return (Math.Min(a.Y, b.Y) - reach, Math.Max(a.Y, b.Y) + reach);
        }

        // y on the segment at the column's left and right edges, widened by the pen reach.
        var left = Math.Clamp((column - reach - a.X) / dx, 0, 1);
        var right = Math.Clamp((column + 1 + reach - a.X) / dx, 0, 1);
        var yLeft = a.Y + (left * (b.Y - a.Y));
        var yRight = a.Y + (right * (b.Y - a.Y));
        return (Math.Min(yLeft, yRight) - reach, Math.Max(yLeft, yRight) + reach);
    }

    private void Blend(int x, int y, Rgb color, float alpha)
    {
        var i = ((y * Width) + x) * 3;
        _rgb[i] = Mix(_rgb[i], color.R, alpha);
        _rgb[i + 1] = Mix(_rgb[i + 1], color.G, alpha);
        _rgb[i + 2] = Mix(_rgb[i + 2], color.B, alpha);
    }

    private static byte Mix(byte under, byte over, float alpha) => (byte)Math.Round(under + ((over - under) * alpha));
}
