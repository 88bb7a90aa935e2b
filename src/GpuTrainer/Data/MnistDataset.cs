namespace GpuTrainer.Data;

/// <summary>
/// An image data set held in memory: <see cref="Images"/> (Count,Channels,Height,Width) levels 0..255, row-major,
/// and <see cref="Labels"/> (Count) class indices in [0, <see cref="Classes"/>). MNIST and Fashion-MNIST are one
/// channel of grey levels; CIFAR-10 (<see cref="Cifar10Reader"/>) is three, red, green and blue planes.
/// </summary>
public sealed class MnistDataset
{
    /// <summary>Number of classes (digits 0 to 9).</summary>
    public const int Classes = 10;

    /// <summary>Wraps the arrays (not copied) after checking that they agree.</summary>
    /// <param name="images">(Count,Channels,Height,Width) levels.</param>
    /// <param name="labels">(Count) class indices.</param>
    /// <param name="height">Rows per image.</param>
    /// <param name="width">Columns per image.</param>
    /// <param name="channels">Planes per image (1 for grey levels).</param>
    /// <param name="normalization">How a level becomes a float; MNIST's when null.</param>
    public MnistDataset(byte[] images, byte[] labels, int height, int width, int channels = 1, Normalization? normalization = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (images.Length != (long)labels.Length * channels * height * width)
        {
            throw new ArgumentException(
                $"{images.Length} image bytes do not make {labels.Length} images of {channels}x{height}x{width}.", nameof(images));
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
        Channels = channels;
        Normalization = normalization ?? Normalization.Mnist;
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

    /// <summary>Planes per image (1: grey levels; 3: red, green, blue).</summary>
    public int Channels { get; }

    /// <summary>How a level becomes a float (per channel): the data set's own statistics.</summary>
    public Normalization Normalization { get; }

    /// <summary>Bytes per image (Channels*Height*Width).</summary>
    public int ImageSize => Channels * Height * Width;

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
