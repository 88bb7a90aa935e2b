namespace GpuTrainer.Tests.Logging;

/// <summary>Reflected 32-bit CRCs straight from their definition, one bit at a time: the yardstick for the table and hardware versions.</summary>
internal static class BitwiseCrc
{
    /// <summary>CRC-32C (Castagnoli) of TFRecords.</summary>
    public const uint Crc32CPolynomial = 0x82F63B78;

    /// <summary>Init and final xor 0xFFFFFFFF, data bits least significant first.</summary>
    public static uint Reflected32(ReadOnlySpan<byte> data, uint polynomial)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1;
            }
        }

        return ~crc;
    }
}
