using System.Buffers.Binary;
using System.Text;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// Reads the PyTorch golden fixtures written by scripts/make_golden.py. Format (little-endian):
/// int32 magic 0x4C4E4554 ("LNET"), int32 version 1, int32 tensor count, then per tensor:
/// int32 name length in bytes, UTF-8 name, int32 rank, rank x int32 dims, prod(dims) x float32 row-major data.
/// Integer tensors (labels, metadata) are stored as float32 holding exact integers. The script's header
/// lists every tensor in lenet_golden.bin and the hyperparameters of each optimizer run.
/// </summary>
public static class GoldenFixture
{
    /// <summary>"LNET" read as a little-endian int32.</summary>
    public const int Magic = 0x4C4E4554;

    /// <summary>The only format version this reader accepts.</summary>
    public const int Version = 1;

    private const int MaxNameBytes = 1024, MaxRank = 8;

    /// <summary>The LeNet-5 fixture as copied beside the test assembly (the test project copies Fixtures/**).</summary>
    public static string LeNetPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "lenet_golden.bin");

    /// <summary>
    /// Reads every tensor of the fixture at <paramref name="path"/>. Throws <see cref="InvalidDataException"/>
    /// naming the file and the byte offset when the magic, version, a header field or the length is wrong.
    /// </summary>
    public static IReadOnlyDictionary<string, (int[] Shape, float[] Data)> Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = 0;

        int ReadInt32(string what)
        {
            Require(bytes.Length - offset >= 4, $"truncated at byte {offset} while reading {what}");
            var value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset, 4));
            offset += 4;
            return value;
        }

        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                throw new InvalidDataException($"Golden fixture '{path}': {problem}.");
            }
        }

        var magic = ReadInt32("the magic number");
        Require(magic == Magic, $"magic is 0x{magic:X8}, expected 0x{Magic:X8} (\"LNET\")");
        var version = ReadInt32("the version");
        Require(version == Version, $"version is {version}, this reader reads version {Version}");
        var count = ReadInt32("the tensor count");
        Require(count >= 0, $"tensor count is {count}");

        var tensors = new Dictionary<string, (int[] Shape, float[] Data)>(count);
        for (var t = 0; t < count; t++)
        {
            var nameBytes = ReadInt32($"the name length of tensor {t}");
            Require(nameBytes is > 0 and <= MaxNameBytes, $"tensor {t} has name length {nameBytes}, expected 1..{MaxNameBytes}");
            Require(bytes.Length - offset >= nameBytes, $"truncated at byte {offset} while reading the name of tensor {t}");
            var name = Encoding.UTF8.GetString(bytes, offset, nameBytes);
            offset += nameBytes;
            Require(!tensors.ContainsKey(name), $"tensor '{name}' appears twice");

            var rank = ReadInt32($"the rank of '{name}'");
            Require(rank is >= 0 and <= MaxRank, $"'{name}' has rank {rank}, expected 0..{MaxRank}");
            var shape = new int[rank];
            long length = 1;
            for (var d = 0; d < rank; d++)
            {
                shape[d] = ReadInt32($"dimension {d} of '{name}'");
                Require(shape[d] >= 0, $"'{name}' has negative dimension {shape[d]}");
                length *= shape[d];
                Require(length <= Array.MaxLength, $"'{name}' has more elements than an array holds");
            }

            Require(bytes.Length - offset >= length * 4,
                $"truncated at byte {offset}: '{name}' needs {length * 4} bytes of data, {bytes.Length - offset} remain");
            var data = new float[length];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + 4 * i, 4));
            }

            offset += 4 * data.Length;
            tensors.Add(name, (shape, data));
        }

        Require(offset == bytes.Length, $"{bytes.Length - offset} unexpected bytes after the last tensor");
        return tensors;
    }

    /// <summary>
    /// Asserts every value of <paramref name="actual"/> within atol + rtol*|ref| of the fixture's <paramref name="expected"/>
    /// tensor <paramref name="name"/>, after printing the largest difference to <paramref name="output"/>.
    /// </summary>
    public static void Check(Xunit.Abstractions.ITestOutputHelper output, string name, float[] expected, ReadOnlySpan<float> actual, double atol, double rtol)
    {
        var reference = Reference.TestData.ToDouble(expected);
        var worst = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(reference[i] - actual[i]));
        }

        output.WriteLine($"{name,-20} max |diff| {worst:E2} over {reference.Length} values");
        Reference.TestData.AssertClose(reference, actual, atol, rtol, name);
    }
}
