using GpuTrainer.Data;

namespace GpuTrainer.Training;

/// <summary>The train and test splits of an MNIST-format directory, checked to suit LeNet-5.</summary>
/// <param name="Directory">Where they were read from.</param>
/// <param name="Train">The training split.</param>
/// <param name="Test">The test split.</param>
public sealed record RunData(string Directory, MnistDataset Train, MnistDataset Test)
{
    /// <summary>Loads both splits of <paramref name="directory"/> (the embedded sample when null).</summary>
    /// <exception cref="DataFormatException">A file is missing or malformed, or the images do not suit LeNet-5.</exception>
    public static RunData Load(string? directory)
    {
        var dataDirectory = directory ?? DefaultData.Locate();
        var train = MnistDataset.LoadSplit(dataDirectory, train: true);
        var test = MnistDataset.LoadSplit(dataDirectory, train: false);
        if (train.Height != train.Width || train.Height < 12)
        {
            throw new DataFormatException(
                $"{dataDirectory} holds {train.Height}x{train.Width} images, but LeNet-5 needs square images of at least 12x12 (28x28 for MNIST).");
        }

        return new RunData(dataDirectory, train, test);
    }

    /// <summary>Batches per epoch of the training split of <paramref name="directory"/> (the embedded sample when null); the last may be partial.</summary>
    public static long BatchesPerEpoch(string? directory, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var count = MnistDataset.LoadSplit(directory ?? DefaultData.Locate(), train: true).Count;
        return (count + batch - 1) / batch;
    }
}
