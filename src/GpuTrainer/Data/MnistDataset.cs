namespace GpuTrainer.Data;

/// <summary>
/// An MNIST-format data set held in memory: <see cref="Images"/> (Count,Height,Width) grey levels 0..255, row-major,
/// and <see cref="Labels"/> (Count) class indices in [0, <see cref="Classes"/>). Fashion-MNIST has the same form.
/// </summary>
public sealed class MnistDataset
{
    /// <summary>Number of classes (digits 0 to 9).</summary>
    public const int Classes = 10;

    /// <summary>Wraps the arrays (not copied) after checking that they agree.</summary>
    public MnistDataset(byte[] images, byte[] labels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (images.Length != (long)labels.Length * height * width)
        {
            throw new ArgumentException(
                $"{images.Length} image bytes do not make {labels.Length} images of {height}x{width}.", nameof(images));
        }

        var bad = labels.AsSpan().IndexOfAnyInRange((byte)Classes, byte.MaxValue);
        if (bad >= 0)
        {
            throw new ArgumentException($"Label {labels[bad]} at index {bad} is outside the {Classes} classes.", nameof(labels));
        }

        Images = images;
        Labels = labels;
        Height = height;
        Width = width;
    }

    /// <summary>Grey levels (Count,Height,Width), row-major.</summary>
    public byte[] Images { get; }

    /// <summary>Class index of each image (Count).</summary>
    public byte[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>Pixels per image (Height*Width).</summary>
    public int ImageSize => Height * Width;

    /// <summary>Loads an images file and its labels file (each raw or gzip) and checks that their counts match.</summary>
    public static MnistDataset Load(string imagesPath, string labelsPath)
    {
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath, Classes);
        if (images.Count != labels.Length)
        {
            throw new DataFormatException(
                $"{Path.GetFileName(imagesPath)} holds {images.Count} images but {Path.GetFileName(labelsPath)} holds {labels.Length} labels.");
        }

        return new MnistDataset(images.Pixels, labels, images.Rows, images.Cols);
    }

    /// <summary>
    /// Loads the training split (train-images-idx3-ubyte, train-labels-idx1-ubyte) or the test split
    /// (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte) from <paramref name="directory"/>; each file may also be
    /// gzip-compressed with a .gz suffix (the uncompressed file is used when both exist).
    /// </summary>
    public static MnistDataset LoadSplit(string directory, bool train)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var prefix = train ? "train" : "t10k";
        string[] names = [$"{prefix}-images-idx3-ubyte", $"{prefix}-labels-idx1-ubyte"];
        var expected = $"{names[0]}[.gz] and {names[1]}[.gz]";
        if (!Directory.Exists(directory))
        {
            throw new DataFormatException($"The data directory {directory} does not exist; it should hold {expected}.");
        }

        var paths = Array.ConvertAll(names, name => Find(directory, name));
        if (Array.IndexOf(paths, null) >= 0)
        {
            throw new DataFormatException(
                $"The data directory {directory} lacks the {(train ? "training" : "test")} split: expected {expected}.");
        }

        return Load(paths[0]!, paths[1]!);
    }

    private static string? Find(string directory, string name)
    {
        var raw = Path.Combine(directory, name);
        return File.Exists(raw) ? raw : File.Exists(raw + ".gz") ? raw + ".gz" : null;
    }
}
