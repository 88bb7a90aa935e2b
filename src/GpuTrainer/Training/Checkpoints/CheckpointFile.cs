using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GpuTrainer.Logging;
using GpuTrainer.Optim;

namespace GpuTrainer.Training.Checkpoints;

/// <summary>
/// The checkpoint file format, version 1. All numbers little-endian; strings are a 7-bit-encoded byte length
/// followed by UTF-8 (as <see cref="BinaryWriter"/> writes them); arrays of floats are IEEE-754 binary32.
/// <code>
/// offset  size  field
///      0     8  magic "GTCKPT\r\n"
///      8     4  format version (uint32) = 1
///     12     8  payload length P (int64)
///     20     P  payload:
///                 string model (its description's canonical text); int32 image side; int32 parameter count N; int32 train images; int32 test images
///                 int32 epochs completed; int64 step; int32 seed
///                 string recipe (JSON, "" when none); string history (JSON array of per-epoch results)
///                 float32[N] parameters
///                 string optimizer name; int64 optimizer steps; int32 arena count K; K x (int32 length L, float32[L])
///                 int32 tag count T; T x string tag; int32 row count R; R x (int32 tag index, int64 step, float64 value)
///   20+P     4  CRC-32C (Castagnoli) of bytes [0, 20+P)
/// </code>
/// A file is written to "NAME.partial" and renamed when complete, so a file under its final name is whole.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The version this build writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>The first eight bytes of every checkpoint.</summary>
    public static ReadOnlySpan<byte> Magic => "GTCKPT\r\n"u8;

    private const int HeaderLength = 20, TrailerLength = 4;

    /// <summary>How the recipe and the history are written inside a checkpoint: compact JSON, enums by name (this format's own, fixed).</summary>
    internal static JsonSerializerOptions Json { get; } = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically (a ".partial" file, flushed, then renamed).</summary>
    public static void Write(string path, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var payload = Payload(checkpoint);
        var bytes = new byte[HeaderLength + payload.Length + TrailerLength];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), payload.Length);
        payload.CopyTo(bytes.AsSpan(HeaderLength));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(HeaderLength + payload.Length), Crc32C.Compute(bytes.AsSpan(0, HeaderLength + payload.Length)));
        using var file = new StagedFile(path, overwrite: true);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>Reads and checks the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointException">It is missing, truncated, damaged, not a checkpoint or of another version (one sentence).</exception>
    public static Checkpoint Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CheckpointException($"The checkpoint {path} does not exist.");
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CheckpointException($"{path} is not a GpuTrainer checkpoint (its first bytes are not the checkpoint magic).");
        }

        if (bytes.Length < HeaderLength + TrailerLength)
        {
            throw new CheckpointException($"The checkpoint {path} is truncated ({bytes.Length} bytes, shorter than its header).");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != Version)
        {
            throw new CheckpointException($"The checkpoint {path} has format version {version}; this GpuTrainer reads version {Version}.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        if (length < 0 || length != bytes.Length - HeaderLength - TrailerLength)
        {
            throw new CheckpointException(string.Create(
                CultureInfo.InvariantCulture, $"The checkpoint {path} is truncated or padded: its header announces {length} payload bytes, the file holds {bytes.Length - HeaderLength - TrailerLength}."));
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - TrailerLength));
        if (stored != Crc32C.Compute(bytes.AsSpan(0, bytes.Length - TrailerLength)))
        {
            throw new CheckpointException($"The checkpoint {path} is damaged: its CRC-32C does not match its contents.");
        }

        try
        {
            return Parse(bytes.AsSpan(HeaderLength, (int)length).ToArray());
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException or InvalidDataException)
        {
            throw new CheckpointException($"The checkpoint {path} has a valid checksum but an unreadable payload ({e.Message.TrimEnd('.')}).");
        }
    }

    private static byte[] Payload(Checkpoint c)
    {
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(c.Model);
            w.Write(c.ImageSide);
            w.Write(c.Parameters.Length);
            w.Write(c.TrainImages);
            w.Write(c.TestImages);
            w.Write(c.Epoch);
            w.Write(c.Step);
            w.Write(c.Seed);
            w.Write(c.Recipe is null ? "" : JsonSerializer.Serialize(c.Recipe, Json));
            w.Write(JsonSerializer.Serialize(c.History, Json));
            w.Write(MemoryMarshal.AsBytes(c.Parameters.AsSpan()));
            w.Write(c.OptimizerName);
            w.Write(c.Optimizer.Steps);
            w.Write(c.Optimizer.Buffers.Count);
            foreach (var buffer in c.Optimizer.Buffers)
            {
                w.Write(buffer.Length);
                w.Write(MemoryMarshal.AsBytes(buffer.AsSpan()));
            }

            var tags = c.Metrics.Select(r => r.Tag).Distinct().ToList();
            w.Write(tags.Count);
            tags.ForEach(w.Write);
            w.Write(c.Metrics.Count);
            foreach (var row in c.Metrics)
            {
                w.Write(tags.IndexOf(row.Tag));
                w.Write(row.Step);
                w.Write(row.Value);
            }
        }

        return memory.ToArray();
    }

    private static Checkpoint Parse(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var model = r.ReadString();
        var side = r.ReadInt32();
        var parameterCount = Count(r.ReadInt32(), sizeof(float), payload.Length);
        var (train, test, epoch, step, seed) = (r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt64(), r.ReadInt32());
        var recipeJson = r.ReadString();
        var recipe = recipeJson.Length == 0 ? null : JsonSerializer.Deserialize<RunRecipe>(recipeJson, Json);
        var history = JsonSerializer.Deserialize<List<EpochResult>>(r.ReadString(), Json) ?? [];
        var parameters = Floats(r, parameterCount);
        var optimizerName = r.ReadString();
        var optimizerSteps = r.ReadInt64();
        var buffers = new float[Count(r.ReadInt32(), sizeof(float), payload.Length)][];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = Floats(r, Count(r.ReadInt32(), sizeof(float), payload.Length));
        }

        var tags = new string[Count(r.ReadInt32(), 1, payload.Length)];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = r.ReadString();
        }

        var rows = new MetricRow[Count(r.ReadInt32(), 20, payload.Length)];
        for (var i = 0; i < rows.Length; i++)
        {
            var tag = r.ReadInt32();
            rows[i] = new MetricRow(tag >= 0 && tag < tags.Length ? tags[tag] : throw new InvalidDataException($"tag index {tag} of {tags.Length}"), r.ReadInt64(), r.ReadDouble());
        }

        if (r.BaseStream.Position != payload.Length)
        {
            throw new InvalidDataException($"{payload.Length - r.BaseStream.Position} bytes after the last field");
        }

        return new Checkpoint(model, side, train, test, epoch, step, seed, recipe, history, parameters, optimizerName, new OptimizerState(optimizerSteps, buffers), rows);
    }

    /// <summary>A count read from the file, checked to fit in it (so a damaged count cannot ask for gigabytes).</summary>
    private static int Count(int count, int bytesEach, int payloadLength) =>
        count >= 0 && (long)count * bytesEach <= payloadLength ? count : throw new InvalidDataException($"a count of {count} does not fit the payload");

    private static float[] Floats(BinaryReader r, int count)
    {
        var values = new float[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (r.Read(bytes) != bytes.Length)
        {
            throw new EndOfStreamException("the payload ends inside an array");
        }

        return values;
    }
}
