using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

/// <summary>
/// A strict decoder for the PNGs the plotter writes, written from the PNG specification: it asserts the
/// signature, every chunk's CRC-32 (computed bit by bit here), IHDR for 8-bit RGB, and that the zlib
/// stream of IDAT holds exactly height rows of 1 filter byte (type 0) plus width*3 bytes.
/// </summary>
internal sealed class DecodedPng
{
    private readonly byte[] _rgb;

    private DecodedPng(int width, int height, byte[] rgb) => (Width, Height, _rgb) = (width, height, rgb);

    public int Width { get; }

    public int Height { get; }

    public Rgb this[int x, int y] => new(_rgb[((y * Width) + x) * 3], _rgb[((y * Width) + x) * 3 + 1], _rgb[((y * Width) + x) * 3 + 2]);

    public IEnumerable<(int X, int Y)> PixelsOf(Rgb color)
    {
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (this[x, y] == color)
                {
                    yield return (x, y);
                }
            }
        }
    }

    public static DecodedPng Decode(byte[] file)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, file[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        for (var offset = 8; offset < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            var typeAndData = file.AsSpan(offset + 4, 4 + length);
            Assert.Equal(BitwiseCrc.Reflected32(typeAndData, BitwiseCrc.Crc32Polynomial), BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8 + length)));
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            offset += 12 + length;
        }

        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);
        var header = chunks[0].Data;
        Assert.Equal(13, header.Length);
        var width = BinaryPrimitives.ReadInt32BigEndian(header);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, header[8..]);

        using var zlib = new ZLibStream(new MemoryStream([.. chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data)]), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var stride = 1 + (width * 3);
        Assert.Equal(height * stride, raw.Length);

        var scanlines = raw.ToArray();
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, scanlines[y * stride]);
            scanlines.AsSpan((y * stride) + 1, width * 3).CopyTo(rgb.AsSpan(y * width * 3));
        }

        return new DecodedPng(width, height, rgb);
    }
}
