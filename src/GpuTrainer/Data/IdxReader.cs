using System.Buffers.Binary;
using System.IO.Compression;

namespace GpuTrainer.Data;

/// <summary>
/// Reads MNIST-format IDX files of unsigned bytes, raw or gzip-compressed (recognised by the gzip magic bytes
/// 1F 8B, whatever the extension), and validates them completely: magic number, dimension count, positive image
/// sizes, exactly the payload the header promises (no missing and no trailing bytes) and, for labels, the class
/// range. Every problem is a <see cref="DataFormatException"/> naming the file.
/// </summary>
/// <remarks>
/// IDX header: a big-endian magic number 0x0000TTDD (TT = 0x08 for unsigned bytes, DD = dimension count), then
/// DD big-endian 32-bit sizes, then the data. Images are 0x00000803 (N,rows,cols); labels are 0x00000801 (N).
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an images file: unsigned bytes, 3 dimensions (N,rows,cols).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a labels file: unsigned bytes, 1 dimension (N).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an images file into (Count,Rows,Cols) grey levels.</summary>
    public static IdxImages ReadImages(string path)
    {
        var name = Path.GetFileName(path);
        return Read(path, stream =>
        {
            var dims = ReadHeader(stream, name, ImagesMagic, "an images file");
            var (count, rows, cols) = (dims[0], dims[1], dims[2]);
            if (rows == 0 || cols == 0)
            {
                throw new DataFormatException($"{name} declares images of {rows}x{cols} pixels, but rows and columns must be positive.");
            }

            var length = (long)count * rows * cols;
            if (length > Array.MaxLength)
            {
                throw new DataFormatException($"{name} declares {count} images of {rows}x{cols} pixels, more than this reader can hold in memory.");
            }

            var pixels = ReadPayload(stream, name, (int)length, $"{count} images of {rows}x{cols} ({length} bytes)", "bytes");
            return new IdxImages(pixels, count, rows, cols);
        });
    }

    /// <summary>Reads a labels file and checks that every label lies in [0, <paramref name="classes"/>).</summary>
    public static byte[] ReadLabels(string path, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var name = Path.GetFileName(path);
        return Read(path, stream =>
        {
            var count = ReadHeader(stream, name, LabelsMagic, "a labels file")[0];
            var labels = ReadPayload(stream, name, count, $"{count} labels", "labels");
            var bad = classes > byte.MaxValue ? -1 : labels.AsSpan().IndexOfAnyInRange((byte)classes, byte.MaxValue);
            if (bad >= 0)
            {
                throw new DataFormatException(
                    $"{name} holds label {labels[bad]} at index {bad}, outside the {classes} classes 0 to {classes - 1}.");
            }

            return labels;
        });
    }

    /// <summary>Opens the file (through a gzip decoder when it starts with 1F 8B) and runs <paramref name="parse"/> on it.</summary>
    private static T Read<T>(string path, Func<Stream, T> parse)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new DataFormatException($"{name} does not exist in {Path.GetDirectoryName(Path.GetFullPath(path))}.");
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> head = stackalloc byte[2];
        var isGzip = file.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && head[0] == 0x1F && head[1] == 0x8B;
        file.Position = 0;
        if (!isGzip)
        {
            return parse(file);
        }

        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            return parse(gzip);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{name} starts like a gzip file but its compressed data is damaged.", e);
        }
    }

    /// <summary>Reads and checks the magic number and returns the dimension sizes.</summary>
    private static int[] ReadHeader(Stream stream, string name, int expectedMagic, string kind)
    {
        Span<byte> word = stackalloc byte[4];
        var got = stream.ReadAtLeast(word, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw new DataFormatException($"{name} holds only {got} bytes, too few for an IDX magic number.");
        }

        var magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if ((magic & ~0xFF) != (expectedMagic & ~0xFF))
        {
            throw new DataFormatException(
                $"{name} is not an unsigned-byte IDX file: its magic number is 0x{magic:X8} where 0x{expectedMagic:X8} was expected.");
        }

        var rank = magic & 0xFF;
        var expectedRank = expectedMagic & 0xFF;
        if (rank != expectedRank)
        {
            throw new DataFormatException(
                $"{name} has {rank} dimension{(rank == 1 ? "" : "s")} (magic number 0x{magic:X8}), but {kind} must have {expectedRank} (0x{expectedMagic:X8}).");
        }

        var dims = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
            {
                throw new DataFormatException($"{name} is truncated: its header ends before the {rank} dimension sizes it declares.");
            }

            var size = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (size > int.MaxValue)
            {
                throw new DataFormatException($"{name} declares a dimension size of {size}, which is too large.");
            }

            dims[d] = (int)size;
        }

        return dims;
    }

    /// <summary>Reads exactly <paramref name="length"/> payload bytes and checks that nothing follows them.</summary>
    private static byte[] ReadPayload(Stream stream, string name, int length, string promised, string unit)
    {
        var payload = GC.AllocateUninitializedArray<byte>(length);
        var got = stream.ReadAtLeast(payload, length, throwOnEndOfStream: false);
        if (got < length)
        {
            throw new DataFormatException($"{name} is truncated: the header promises {promised} but the file holds {got} {unit}.");
        }

        Span<byte> rest = stackalloc byte[4096];
        long trailing = 0;
        for (int n; (n = stream.Read(rest)) > 0;)
        {
            trailing += n;
        }

        if (trailing > 0)
        {
            throw new DataFormatException($"{name} has {trailing} trailing bytes after the {promised} its header promises.");
        }

        return payload;
    }
}
