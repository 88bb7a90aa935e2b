namespace GpuTrainer.Logging;

/// <summary>An opaque 8-bit sRGB colour.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>White, the plot background.</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Black, axes and text.</summary>
    public static Rgb Black => new(0, 0, 0);
}
