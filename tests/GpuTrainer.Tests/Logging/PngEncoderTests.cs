using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class PngEncoderTests
{
    [Fact]
    public void Crc32MatchesCheckValue() => Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void PixelsRoundTripThroughStrictDecoder()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3, 250, 251, 252, 0, 0, 0];
        var png = DecodedPng.Decode(PngEncoder.Encode(3, 2, rgb));

        Assert.Equal((3, 2), (png.Width, png.Height));
        Assert.Equal(new Rgb(255, 0, 0), png[0, 0]);
        Assert.Equal(new Rgb(0, 0, 255), png[2, 0]);
        Assert.Equal(new Rgb(1, 2, 3), png[0, 1]);
        Assert.Equal(new Rgb(0, 0, 0), png[2, 1]);
    }

    [Fact]
    public void WrongBufferSizeThrows()
    {
        var error = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(2, 2, new byte[11]));
        Assert.StartsWith("An RGB image of 2x2 needs 12 bytes, got 11.", error.Message, StringComparison.Ordinal);
    }
}
