using System.Text;
using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void KnownVectors(string text, uint expected) =>
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void ThirtyTwoZeroBytesMatchRfc3720() =>
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));

    [Fact]
    public void EveryLengthMatchesBitwiseDefinition()
    {
        var data = new byte[37];
        new Random(7).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            Assert.Equal(BitwiseCrc.Reflected32(data.AsSpan(0, length), BitwiseCrc.Crc32CPolynomial), Crc32C.Compute(data.AsSpan(0, length)));
        }
    }

    [Fact]
    public void MaskRotatesRightBy15AndAddsDelta()
    {
        var crc = Crc32C.Compute("123456789"u8);
        Assert.Equal(((crc >> 15) | (crc << 17)) + 0xa282ead8u, Crc32C.Masked("123456789"u8));
    }
}
