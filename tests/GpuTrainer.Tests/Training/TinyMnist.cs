using GpuTrainer.Data;
using GpuTrainer.Tests.Data;

namespace GpuTrainer.Tests.Training;

/// <summary>
/// A small, easily learnt MNIST-format data set for end-to-end tests: class k is a bright band over rows 2k and 2k+1
/// of a 28x28 image, on seeded low-level noise, so a few dozen steps of training make the loss fall.
/// </summary>
internal static class TinyMnist
{
    public const int Side = 28;

    /// <summary>A data set of <paramref name="count"/> images, the classes in turn.</summary>
    public static MnistDataset Create(int count, int seed)
    {
        var (pixels, labels) = Build(count, seed);
        return new MnistDataset(pixels, labels, Side, Side);
    }

    /// <summary>Writes train and test splits (IDX, uncompressed) into <paramref name="directory"/> and returns it.</summary>
    public static string Write(string directory, int train = 64, int test = 32)
    {
        foreach (var (prefix, count, seed) in new[] { ("train", train, 1), ("t10k", test, 2) })
        {
            var (pixels, labels) = Build(count, seed);
            IdxFiles.Write(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), IdxFiles.Images(count, Side, Side, pixels), gzip: false);
            IdxFiles.Write(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), IdxFiles.Labels(labels), gzip: false);
        }

        return directory;
    }

    private static (byte[] Pixels, byte[] Labels) Build(int count, int seed)
    {
        var pixels = IdxFiles.Random(count * Side * Side, seed, below: 64);
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % MnistDataset.Classes);
            pixels.AsSpan((i * Side * Side) + (labels[i] * 2 * Side), 2 * Side).Fill(255);
        }

        return (pixels, labels);
    }
}
