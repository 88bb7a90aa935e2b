using System.Formats.Tar;
using System.IO.Compression;
using GpuTrainer.Data;

namespace GpuTrainer.Tests.Data;

/// <summary>Generated CIFAR-10 binary batches (label byte + 3,072 image bytes per record) and the tarball they ship in.</summary>
internal static class CifarFiles
{
    /// <summary>One batch file's bytes: <paramref name="count"/> records, labels in turn, class k brighter in channel k % 3.</summary>
    public static byte[] Batch(int count, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[count * Cifar10Reader.RecordBytes];
        for (var i = 0; i < count; i++)
        {
            var record = bytes.AsSpan(i * Cifar10Reader.RecordBytes, Cifar10Reader.RecordBytes);
            var label = (byte)(i % 10);
            record[0] = label;
            for (var p = 1; p < record.Length; p++)
            {
                var channel = (p - 1) / 1024;
                record[p] = (byte)(random.Next(64) + (channel == label % 3 ? 16 * label : 0));
            }
        }

        return bytes;
    }

    /// <summary>The six batch files' names and bytes: five training batches of <paramref name="perBatch"/> and a test batch of <paramref name="test"/>.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> All(int perBatch = 8, int test = 10) =>
        [.. Cifar10Reader.TrainFiles.Select((n, i) => (n, Batch(perBatch, i + 1))), (Cifar10Reader.TestFile, Batch(test, 99))];

    /// <summary>Writes the six batches into <paramref name="directory"/> and returns it.</summary>
    public static string Write(string directory, int perBatch = 8, int test = 10)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, bytes) in All(perBatch, test))
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }

        return directory;
    }

    /// <summary>A .tar.gz laid out as the published one: cifar-10-batches-bin/ with the batches and a text file.</summary>
    public static byte[] Tarball(int perBatch = 8, int test = 10)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, $"{Cifar10Reader.Folder}/"));
            foreach (var (name, bytes) in All(perBatch, test).Append(("batches.meta.txt", "airplane\nautomobile\n"u8.ToArray())))
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{Cifar10Reader.Folder}/{name}") { DataStream = new MemoryStream(bytes) });
            }

            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "../escape.bin") { DataStream = new MemoryStream([1, 2, 3]) });
        }

        return memory.ToArray();
    }
}
