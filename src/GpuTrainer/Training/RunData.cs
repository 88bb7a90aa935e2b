using GpuTrainer.Data;

namespace GpuTrainer.Training;

/// <summary>The train and test splits of an MNIST-format directory, checked to suit LeNet-5.</summary>
/// <param name="Directory">Where they were read from.</param>
/// <param name="Train">The training split.</param>
/// <param name="Test">The test split.</param>
public sealed record RunData(string Directory, MnistDataset Train, MnistDataset Test)
{
    /// <summary>Loads both splits of <paramref name="directory"/> (see <see cref="DataLocation.Resolve"/>: the embedded sample when null, a downloaded copy for a data set name).</summary>
    /// <exception cref="DataFormatException">A file is missing or malformed, or the images do not suit LeNet-5.</exception>
    public static RunData Load(string? directory)
    {
        var dataDirectory = DataLocation.Resolve(directory);
        var train = MnistDataset.LoadSplit(dataDirectory, train: true);
        var test = MnistDataset.LoadSplit(dataDirectory, train: false);
        if (train.Height != train.Width || train.Height < 12)
        {
            throw new DataFormatException(
                $"{dataDirectory} holds {train.Height}x{train.Width} images, but LeNet-5 needs square images of at least 12x12 (28x28 for MNIST).");
        }

        return new RunData(dataDirectory, train, test);
    }

    /// <summary>Refuses, with one sentence, a batch larger than the training split (every batch would be the whole split).</summary>
    public void CheckBatch(int batch)
    {
        if (batch > Train.Count)
        {
            throw new ArgumentException($"The batch size {batch:N0} is larger than the {Train.Count:N0} training images in {Directory}; use --batch {Train.Count} or less.");
        }
    }
}
