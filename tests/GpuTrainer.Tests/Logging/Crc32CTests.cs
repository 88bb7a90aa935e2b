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
            Assert.Equal(BitwiseCrc32C(data.AsSpan(0, length)), Crc32C.Compute(data.AsSpan(0, length)));
        }
    }

    [Fact]
    public void MaskRotatesRightBy15AndAddsDelta()
    {
        var crc = Crc32C.Compute("123456789"u8);
        Assert.Equal(((crc >> 15) | (crc << 17)) + 0xa282ead8u, Crc32C.Masked("123456789"u8));
    }

    /// <summary>CRC-32C straight from its definition, one bit at a time (reflected polynomial 0x82F63B78).</summary>
    internal static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
