using GpuTrainer.Data;
using Xunit;

namespace GpuTrainer.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImagesAndLabelsRoundTrip(bool gzip)
    {
        var pixels = IdxFiles.Random(3 * 5 * 4, seed: 1);
        var labels = IdxFiles.Random(3, seed: 2, below: 10);
        var imagesPath = IdxFiles.Write(_temp.File("images"), IdxFiles.Images(3, 5, 4, pixels), gzip);
        var labelsPath = IdxFiles.Write(_temp.File("labels"), IdxFiles.Labels(labels), gzip);

        var images = IdxReader.ReadImages(imagesPath);

        Assert.Equal((3, 5, 4), (images.Count, images.Rows, images.Cols));
        Assert.Equal(pixels, images.Pixels);
        Assert.Equal(labels, IdxReader.ReadLabels(labelsPath, 10));
    }

    [Fact]
    public void GzipIsRecognisedByContentNotByExtension()
    {
        var labels = IdxFiles.Random(7, seed: 3, below: 10);
        var gzipWithoutSuffix = IdxFiles.Write(_temp.File("labels-idx1-ubyte"), IdxFiles.Labels(labels), gzip: true);
        var rawWithSuffix = IdxFiles.Write(_temp.File("labels-idx1-ubyte.gz"), IdxFiles.Labels(labels), gzip: false);

        Assert.Equal(labels, IdxReader.ReadLabels(gzipWithoutSuffix, 10));
        Assert.Equal(labels, IdxReader.ReadLabels(rawWithSuffix, 10));
    }

    /// <summary>Malformed images files: (case, content, words the message must contain).</summary>
    public static TheoryData<string, byte[], string> BadImages => new()
    {
        { "empty", [], "holds only 0 bytes, too few for an IDX magic number" },
        { "bad magic", IdxFiles.Build(0x00000903, [1, 2, 2], new byte[4]), "is not an unsigned-byte IDX file: its magic number is 0x00000903 where 0x00000803 was expected" },
        { "wrong dimension count", IdxFiles.Build(0x00000802, [1, 4], new byte[4]), "has 2 dimensions (magic number 0x00000802), but an images file must have 3 (0x00000803)" },
        { "header cut short", IdxFiles.Build(0x00000803, [1, 2], []), "is truncated: its header ends before the 3 dimension sizes it declares" },
        { "zero rows", IdxFiles.Images(1, 0, 2, []), "declares images of 0x2 pixels, but rows and columns must be positive" },
        { "truncated", IdxFiles.Images(2, 3, 4, new byte[14]), "is truncated: the header promises 2 images of 3x4 (24 bytes) but the file holds 14 bytes" },
        { "trailing bytes", IdxFiles.Images(2, 3, 4, new byte[27]), "has 3 trailing bytes after the 2 images of 3x4 (24 bytes) its header promises" },
        { "labels given as images", IdxFiles.Labels([1, 2]), "has 1 dimension (magic number 0x00000801), but an images file must have 3 (0x00000803)" },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public void MalformedImagesFilesAreRejectedWithTheirProblemNamed(string problem, byte[] content, string expected)
    {
        foreach (var gzip in new[] { false, true })
        {
            var path = IdxFiles.Write(_temp.File("images.idx"), content, gzip);
            var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));
            Assert.True(error.Message == $"images.idx {expected}.", $"{problem} (gzip {gzip}): {error.Message}");
        }
    }

    [Fact]
    public void TruncatedLabelsNameTheFileAndBothCounts()
    {
        var path = IdxFiles.Write(
            _temp.File("train-labels-idx1-ubyte.gz"), IdxFiles.Build(0x00000801, [60000], new byte[59990]), gzip: true);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Equal("train-labels-idx1-ubyte.gz is truncated: the header promises 60000 labels but the file holds 59990 labels.", error.Message);
    }

    [Fact]
    public void LabelsWithTrailingBytesAreRejected()
    {
        var path = IdxFiles.Write(_temp.File("labels"), [.. IdxFiles.Labels([1, 2, 3]), 0, 0], gzip: false);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Equal("labels has 2 trailing bytes after the 3 labels its header promises.", error.Message);
    }

    [Fact]
    public void LabelOutsideTheClassesIsRejected()
    {
        var path = IdxFiles.Write(_temp.File("labels"), IdxFiles.Labels([3, 9, 10, 2]), gzip: true);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Equal("labels holds label 10 at index 2, outside the 10 classes 0 to 9.", error.Message);
    }

    [Fact]
    public void ImagesFileGivenAsLabelsIsRejected()
    {
        var path = IdxFiles.Write(_temp.File("images"), IdxFiles.Images(1, 1, 1, [0]), gzip: false);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Equal("images has 3 dimensions (magic number 0x00000803), but a labels file must have 1 (0x00000801).", error.Message);
    }

    [Fact]
    public void DamagedGzipIsRejected()
    {
        // Gzip magic followed by compression method 0 instead of 8 (deflate): the decoder refuses the header.
        var path = IdxFiles.Write(_temp.File("images.gz"), [0x1F, 0x8B, 0x00, 0x00, 0, 0, 0, 0, 0, 3, 1, 2, 3], gzip: false);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal("images.gz starts like a gzip file but its compressed data is damaged.", error.Message);
    }

    [Fact]
    public void MissingFileNamesItsDirectory()
    {
        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_temp.File("absent-images")));

        Assert.Equal($"absent-images does not exist in {_temp.Path}.", error.Message);
    }
}
