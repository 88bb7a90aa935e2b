namespace GpuTrainer.Logging;

/// <summary>A pixel rectangle: x in [Left, Right), y in [Top, Bottom).</summary>
internal readonly record struct PixelRect(int Left, int Top, int Right, int Bottom)
{
    /// <summary>Width in pixels.</summary>
    public int Width => Right - Left;

    /// <summary>Height in pixels.</summary>
    public int Height => Bottom - Top;
}
