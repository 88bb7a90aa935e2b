using GpuTrainer.Data;
using Xunit;

namespace GpuTrainer.Tests.Data;

public sealed class MnistDatasetTests : IDisposable
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    public void LoadSplitAcceptsRawOrGzipVariantOfEachFile(bool train, bool gzipImages, bool gzipLabels)
    {
        var prefix = train ? "train" : "t10k";
        var pixels = IdxFiles.Random(4 * 3 * 2, seed: 5);
        byte[] labels = [9, 0, 4, 7];
        IdxFiles.Write(_temp.File($"{prefix}-images-idx3-ubyte{(gzipImages ? ".gz" : "")}"), IdxFiles.Images(4, 3, 2, pixels), gzipImages);
        IdxFiles.Write(_temp.File($"{prefix}-labels-idx1-ubyte{(gzipLabels ? ".gz" : "")}"), IdxFiles.Labels(labels), gzipLabels);

        var dataset = MnistDataset.LoadSplit(_temp.Path, train);

        Assert.Equal((4, 3, 2, 6), (dataset.Count, dataset.Height, dataset.Width, dataset.ImageSize));
        Assert.Equal(pixels, dataset.Images);
        Assert.Equal(labels, dataset.Labels);
    }

    [Fact]
    public void ImageAndLabelCountsMustMatch()
    {
        IdxFiles.Write(_temp.File("train-images-idx3-ubyte.gz"), IdxFiles.Images(3, 2, 2, new byte[12]), gzip: true);
        IdxFiles.Write(_temp.File("train-labels-idx1-ubyte.gz"), IdxFiles.Labels([1, 2]), gzip: true);

        var error = Assert.Throws<DataFormatException>(() => MnistDataset.LoadSplit(_temp.Path, train: true));

        Assert.Equal("train-images-idx3-ubyte.gz holds 3 images but train-labels-idx1-ubyte.gz holds 2 labels.", error.Message);
    }

    [Fact]
    public void MissingFilesNameTheDirectoryAndTheExpectedNames()
    {
        IdxFiles.Write(_temp.File("t10k-images-idx3-ubyte"), IdxFiles.Images(1, 1, 1, [0]), gzip: false);

        var error = Assert.Throws<DataFormatException>(() => MnistDataset.LoadSplit(_temp.Path, train: false));

        Assert.Equal(
            $"The data directory {_temp.Path} lacks the test split: expected t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz].",
            error.Message);
    }

    [Fact]
    public void MissingDirectoryIsNamed()
    {
        var absent = _temp.File("absent");

        var error = Assert.Throws<DataFormatException>(() => MnistDataset.LoadSplit(absent, train: true));

        Assert.Equal(
            $"The data directory {absent} does not exist; it should hold train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz].",
            error.Message);
    }

    [Fact]
    public void ConstructorRejectsMismatchedArraysAndLabelsOutsideTheClasses()
    {
        Assert.Throws<ArgumentException>(() => new MnistDataset(new byte[11], new byte[3], 2, 2));
        Assert.Throws<ArgumentException>(() => new MnistDataset(new byte[12], [1, 10, 2], 2, 2));
    }

    [Theory]
    [InlineData(true, new[] { 801, 902, 793, 825, 784, 691, 811, 856, 755, 782 })]
    [InlineData(false, new[] { 200, 225, 198, 207, 196, 172, 203, 214, 189, 196 })]
    public void EmbeddedSampleLoadsWithItsDocumentedCounts(bool train, int[] perClass)
    {
        var dataset = MnistDataset.LoadSplit(RepoPaths.MnistSample, train);

        Assert.Equal((perClass.Sum(), 28, 28), (dataset.Count, dataset.Height, dataset.Width));
        Assert.Equal(perClass, ClassCounts(dataset));
    }

    [Fact]
    public void FashionMnistLoadsWhenInstalled()
    {
        if (!Directory.Exists(FashionMnist))
        {
            return;
        }

        var train = MnistDataset.LoadSplit(FashionMnist, train: true);
        var test = MnistDataset.LoadSplit(FashionMnist, train: false);

        Assert.Equal((60000, 28, 28), (train.Count, train.Height, train.Width));
        Assert.Equal((10000, 28, 28), (test.Count, test.Height, test.Width));
        Assert.All(ClassCounts(train), count => Assert.Equal(6000, count));
        Assert.All(ClassCounts(test), count => Assert.Equal(1000, count));
    }

    private static int[] ClassCounts(MnistDataset dataset)
    {
        var counts = new int[MnistDataset.Classes];
        foreach (var label in dataset.Labels)
        {
            counts[label]++;
        }

        return counts;
    }
}
