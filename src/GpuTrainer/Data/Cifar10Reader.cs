using System.Globalization;

namespace GpuTrainer.Data;

/// <summary>
/// Reads CIFAR-10's binary version (Krizhevsky's cifar-10-binary.tar.gz, unpacked: cifar-10-batches-bin/) and validates
/// it completely, as <see cref="IdxReader"/> does IDX files: five training batches data_batch_1.bin .. data_batch_5.bin and
/// test_batch.bin, each a sequence of records of one label byte (0..9) and 3,072 image bytes: the 32x32 red plane, then
/// green, then blue, each row-major, which is (C,H,W) already. A file that is empty, not a whole number of records
/// (truncated or padded), or holds a label outside the classes is a <see cref="DataFormatException"/> naming it.
/// </summary>
public static class Cifar10Reader
{
    /// <summary>Image side, channels, bytes per image and per record.</summary>
    public const int Side = 32, Channels = 3, ImageBytes = Channels * Side * Side, RecordBytes = 1 + ImageBytes;

    /// <summary>The training batches, in order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];

    /// <summary>The test batch.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>The folder the published tarball unpacks into.</summary>
    public const string Folder = "cifar-10-batches-bin";

    /// <summary>
    /// The folder of <paramref name="directory"/> that holds CIFAR-10's batches (the directory itself or its
    /// cifar-10-batches-bin), or null when it holds none of them (then it is not CIFAR-10 data).
    /// </summary>
    public static string? Locate(string directory)
    {
        foreach (var folder in new[] { directory, Path.Combine(directory, Folder) })
        {
            if (Directory.Exists(folder) && TrainFiles.Append(TestFile).Any(f => File.Exists(Path.Combine(folder, f))))
            {
                return folder;
            }
        }

        return null;
    }

    /// <summary>Loads the training split (the five batches, in order) or the test split of the CIFAR-10 folder <paramref name="folder"/>.</summary>
    public static MnistDataset LoadSplit(string folder, bool train)
    {
        var names = train ? TrainFiles : [TestFile];
        var missing = names.FirstOrDefault(n => !File.Exists(Path.Combine(folder, n)));
        if (missing is not null)
        {
            throw new DataFormatException(
                $"The CIFAR-10 folder {folder} lacks {missing}; it should hold {string.Join(", ", TrainFiles)} and {TestFile}.");
        }

        var parts = names.Select(n => Read(Path.Combine(folder, n))).ToList();
        var count = parts.Sum(p => p.Labels.Length);
        var (images, labels) = (GC.AllocateUninitializedArray<byte>(count * ImageBytes), new byte[count]);
        var at = 0;
        foreach (var (partImages, partLabels) in parts)
        {
            partImages.CopyTo(images.AsSpan(at * ImageBytes));
            partLabels.CopyTo(labels.AsSpan(at));
            at += partLabels.Length;
        }

        return new MnistDataset(images, labels, Side, Side, Channels, Normalization.Cifar10);
    }

    /// <summary>Reads one batch file: its images (N,3,32,32) and labels (N).</summary>
    public static (byte[] Images, byte[] Labels) Read(string path)
    {
        var name = Path.GetFileName(path);
        var length = new FileInfo(path).Length;
        if (length == 0 || length % RecordBytes != 0)
        {
            throw new DataFormatException(length == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{name} is empty; a CIFAR-10 batch holds records of a label byte and {ImageBytes:N0} image bytes.")
                : string.Create(CultureInfo.InvariantCulture, $"{name} is truncated or padded: its {length:N0} bytes are not a whole number of {RecordBytes:N0}-byte records (a label byte and 3x32x32 image bytes)."));
        }

        if (length / RecordBytes * ImageBytes > Array.MaxLength)
        {
            throw new DataFormatException($"{name} holds more records than this reader can hold in memory.");
        }

        var count = (int)(length / RecordBytes);
        var (images, labels) = (GC.AllocateUninitializedArray<byte>(count * ImageBytes), new byte[count]);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var record = new byte[RecordBytes];
        for (var i = 0; i < count; i++)
        {
            file.ReadExactly(record);
            if (record[0] >= MnistDataset.Classes)
            {
                throw new DataFormatException(
                    $"{name} holds label {record[0]} in record {i}, outside the {MnistDataset.Classes} classes 0 to {MnistDataset.Classes - 1}.");
            }

            labels[i] = record[0];
            record.AsSpan(1).CopyTo(images.AsSpan(i * ImageBytes));
        }

        return (images, labels);
    }
}
