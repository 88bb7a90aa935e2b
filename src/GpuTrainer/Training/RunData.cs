using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Nn;

namespace GpuTrainer.Training;

/// <summary>The train and test splits of a data directory; <see cref="CheckModel"/> checks that a model suits them.</summary>
/// <param name="Directory">Where they were read from.</param>
/// <param name="Train">The training split.</param>
/// <param name="Test">The test split.</param>
public sealed record RunData(string Directory, MnistDataset Train, MnistDataset Test)
{
    /// <summary>
    /// Loads both splits of <paramref name="directory"/> (see <see cref="DataLocation.Resolve"/>: the embedded sample when
    /// null, a downloaded copy for a data set name): CIFAR-10's binary batches when it holds them (or its
    /// cifar-10-batches-bin does, see <see cref="Cifar10Reader"/>), else MNIST-format IDX files.
    /// </summary>
    /// <exception cref="DataFormatException">A file is missing or malformed, or the splits' images differ in shape.</exception>
    public static RunData Load(string? directory)
    {
        var dataDirectory = DataLocation.Resolve(directory);
        var cifar = Cifar10Reader.Locate(dataDirectory);
        var train = cifar is null ? MnistDataset.LoadSplit(dataDirectory, train: true) : Cifar10Reader.LoadSplit(cifar, train: true);
        var test = cifar is null ? MnistDataset.LoadSplit(dataDirectory, train: false) : Cifar10Reader.LoadSplit(cifar, train: false);
        if (train.Height != test.Height || train.Width != test.Width)
        {
            throw new DataFormatException(
                $"{dataDirectory} holds {train.Height}x{train.Width} training images but {test.Height}x{test.Width} test images.");
        }

        return new RunData(dataDirectory, train, test);
    }

    /// <summary>One sample's shape (C,H,W): the model's input.</summary>
    public SampleShape Shape => new(Train.Channels, Train.Height, Train.Width);

    /// <summary>The number of classes: the model's outputs.</summary>
    public int Classes => MnistDataset.Classes;

    /// <summary>
    /// Refuses, with one sentence, a model that does not suit this data (a layer that shrinks the image below 1x1, a last
    /// layer of another width than the classes) or, when <paramref name="backend"/> is given, that does not fit its memory
    /// with <paramref name="members"/> members at <paramref name="batch"/> beside the resident training set.
    /// </summary>
    /// <exception cref="ArgumentException">The sentence.</exception>
    public void CheckModel(ModelDescription model, int batch, int members = 1, IBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Plan(Shape, Classes);
        if (backend is null)
        {
            return;
        }

        var needed = model.BytesFor(Shape, Classes, batch, members) + (4L * Train.Count * (Shape.Size + 2));
        var available = Backends.MemoryBytes(backend);
        if (needed > available)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The model {model.Name} needs {needed / 1048576.0:N0} MiB at batch {batch}{(members == 1 ? "" : $" with {members} members")} on {backend.Name}, which has {available / 1048576.0:N0} MiB; use a smaller --batch or model."));
        }
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
