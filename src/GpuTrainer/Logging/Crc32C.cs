using System.Buffers.Binary;
using System.Numerics;

namespace GpuTrainer.Logging;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init and final xor 0xFFFFFFFF), the checksum
/// of TFRecord framing. <see cref="BitOperations.Crc32C(uint, ulong)"/> is the raw update step
/// (SSE4.2/ARM instruction when present, a software table otherwise); this adds the inversions.
/// </summary>
internal static class Crc32C
{
    /// <summary>Added to the rotated CRC by <see cref="Masked"/>, as TensorFlow's crc32c::Mask does.</summary>
    public const uint MaskDelta = 0xa282ead8;

    /// <summary>CRC-32C of <paramref name="data"/>; "123456789" gives 0xE3069283.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>The masked CRC stored in TFRecords: ((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8.</summary>
    public static uint Masked(ReadOnlySpan<byte> data) => BitOperations.RotateRight(Compute(data), 15) + MaskDelta;
}
