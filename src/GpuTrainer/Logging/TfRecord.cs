using System.Buffers.Binary;

namespace GpuTrainer.Logging;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files. Each record is
/// [uint64 length][uint32 masked CRC-32C of the 8 length bytes][payload][uint32 masked CRC-32C of the payload],
/// all little-endian.
/// </summary>
internal static class TfRecord
{
    /// <summary>Bytes before the payload: length and its CRC.</summary>
    public const int HeaderSize = sizeof(ulong) + sizeof(uint);

    /// <summary>Bytes after the payload: its CRC.</summary>
    public const int FooterSize = sizeof(uint);

    /// <summary>Appends one record holding <paramref name="payload"/> to <paramref name="stream"/> with a single write.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> payload)
    {
        var record = new byte[HeaderSize + payload.Length + FooterSize];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(sizeof(ulong)), Crc32C.Masked(record.AsSpan(0, sizeof(ulong))));
        payload.CopyTo(record.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(HeaderSize + payload.Length), Crc32C.Masked(payload));
        stream.Write(record);
    }
}
