using System.Buffers.Binary;
using GpuTrainer.Logging;
using static GpuTrainer.Logging.TensorBoardEventFields;

namespace GpuTrainer.Tests.Logging;

/// <summary>
/// Reads TensorBoard event files back: checks both masked CRC-32C of every TFRecord and decodes each
/// Event's wall_time, step, file_version and the simple_value scalars of its summary. Every other field
/// (graphs, histograms, images, tensor-valued summaries) is skipped by its wire type.
/// A corrupt or truncated file throws <see cref="InvalidDataException"/> naming the file and the byte
/// offset of the bad record.
/// </summary>
public static class TensorBoardEventReader
{
    /// <summary>Every event of the file at <paramref name="path"/>, in file order.</summary>
    /// <exception cref="InvalidDataException">A record is truncated, fails its CRC, or is not a valid Event.</exception>
    public static IReadOnlyList<TensorBoardEvent> ReadEvents(string path)
    {
        var data = File.ReadAllBytes(path);
        var events = new List<TensorBoardEvent>();
        var offset = 0L;
        while (offset < data.Length)
        {
            var payload = ReadRecord(data, offset, path);
            try
            {
                events.Add(DecodeEvent(payload, offset));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"The TensorBoard event file '{path}' has an invalid Event in the record at byte {offset}: {e.Message}", e);
            }

            offset += TfRecord.HeaderSize + payload.Length + TfRecord.FooterSize;
        }

        return events;
    }

    /// <summary>Every scalar of the file at <paramref name="path"/>, in file order, with its event's wall time and step.</summary>
    /// <exception cref="InvalidDataException">A record is truncated, fails its CRC, or is not a valid Event.</exception>
    public static IReadOnlyList<TensorBoardScalar> ReadScalars(string path) =>
        [.. ReadEvents(path).SelectMany(e => e.Scalars)];

    private static ReadOnlySpan<byte> ReadRecord(byte[] data, long offset, string path)
    {
        var remaining = data.Length - offset;
        if (remaining < TfRecord.HeaderSize)
        {
            throw Corrupt(path, offset, $"is truncated: the file ends {remaining} bytes into its {TfRecord.HeaderSize}-byte header");
        }

        var header = data.AsSpan((int)offset, TfRecord.HeaderSize);
        if (Crc32C.Masked(header[..sizeof(ulong)]) != BinaryPrimitives.ReadUInt32LittleEndian(header[sizeof(ulong)..]))
        {
            throw Corrupt(path, offset, "is corrupt: the CRC of its length field does not match");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        if (remaining < TfRecord.HeaderSize + TfRecord.FooterSize || length > (ulong)(remaining - TfRecord.HeaderSize - TfRecord.FooterSize))
        {
            throw Corrupt(path, offset, $"is truncated: it needs {length} payload bytes and a 4-byte CRC but the file ends {remaining - TfRecord.HeaderSize} bytes after its header");
        }

        var payload = data.AsSpan((int)offset + TfRecord.HeaderSize, (int)length);
        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)offset + TfRecord.HeaderSize + (int)length));
        if (Crc32C.Masked(payload) != storedCrc)
        {
            throw Corrupt(path, offset, "is corrupt: the CRC of its payload does not match");
        }

        return payload;
    }

    private static TensorBoardEvent DecodeEvent(ReadOnlySpan<byte> payload, long offset)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<(string Tag, float Value)>();
        var reader = new ProtoReader(payload);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case EventWallTime:
                    wallTime = reader.ReadDouble();
                    break;
                case EventStep:
                    step = reader.ReadInt64();
                    break;
                case EventFileVersion:
                    fileVersion = reader.ReadString();
                    break;
                case EventSummary:
                    DecodeSummary(reader.ReadBytes(), scalars);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new TensorBoardEvent(
            offset, wallTime, step, fileVersion, [.. scalars.Select(s => new TensorBoardScalar(wallTime, step, s.Tag, s.Value))]);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> summary, List<(string Tag, float Value)> scalars)
    {
        var reader = new ProtoReader(summary);
        while (reader.Next())
        {
            if (reader.Field != SummaryValue)
            {
                reader.Skip();
                continue;
            }

            string tag = "";
            float? simpleValue = null;
            var value = new ProtoReader(reader.ReadBytes());
            while (value.Next())
            {
                switch (value.Field)
                {
                    case ValueTag:
                        tag = value.ReadString();
                        break;
                    case ValueSimpleValue:
                        simpleValue = value.ReadFloat();
                        break;
                    default:
                        value.Skip();
                        break;
                }
            }

            if (simpleValue is { } v)
            {
                scalars.Add((tag, v));
            }
        }
    }

    private static InvalidDataException Corrupt(string path, long offset, string what) =>
        new($"The TensorBoard event file '{path}' {what} (record at byte {offset}).");
}
