using System.Buffers.Binary;
using System.IO.Compression;

namespace GpuTrainer.Tests.Data;

/// <summary>Builds IDX file contents, well-formed or not, and writes them raw or gzip-compressed.</summary>
internal static class IdxFiles
{
    /// <summary>A big-endian magic number, the dimension sizes and the payload, exactly as given.</summary>
    public static byte[] Build(int magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var d = 0; d < dims.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        }

        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>An images file (count,rows,cols) holding <paramref name="pixels"/>.</summary>
    public static byte[] Images(int count, int rows, int cols, byte[] pixels) => Build(0x00000803, [count, rows, cols], pixels);

    /// <summary>A labels file holding <paramref name="labels"/>.</summary>
    public static byte[] Labels(byte[] labels) => Build(0x00000801, [labels.Length], labels);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, gzip-compressed when asked.</summary>
    public static string Write(string path, byte[] content, bool gzip)
    {
        using var file = File.Create(path);
        if (gzip)
        {
            using var compressor = new GZipStream(file, CompressionLevel.Fastest);
            compressor.Write(content);
        }
        else
        {
            file.Write(content);
        }

        return path;
    }

    /// <summary>Seeded random bytes in [0, <paramref name="below"/>).</summary>
    public static byte[] Random(int count, int seed, int below = 256)
    {
        var random = new Random(seed);
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = (byte)random.Next(below);
        }

        return bytes;
    }
}
