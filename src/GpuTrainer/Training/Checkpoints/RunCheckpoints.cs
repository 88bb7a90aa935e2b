using System.Globalization;

namespace GpuTrainer.Training.Checkpoints;

/// <summary>
/// The checkpoints in a run folder: "checkpoint-epoch-NNNN.gtck", one per completed epoch. A new one is written
/// completely (see <see cref="CheckpointFile"/>) before the previous one is deleted, so the folder always holds at
/// least one whole checkpoint once the first epoch has ended.
/// </summary>
public static class RunCheckpoints
{
    private const string Prefix = "checkpoint-epoch-", Extension = ".gtck";

    /// <summary>The file name of the checkpoint taken after <paramref name="epoch"/> epochs.</summary>
    public static string FileName(int epoch) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{epoch:D4}{Extension}");

    /// <summary>The checkpoint of the most epochs in <paramref name="folder"/>, or null when it holds none.</summary>
    public static string? Latest(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, $"{Prefix}*{Extension}").Where(IsCheckpoint).OrderByDescending(EpochOf).FirstOrDefault()
            : null;

    /// <summary>Writes <paramref name="checkpoint"/> into <paramref name="folder"/>, then deletes the older ones.</summary>
    public static string Save(string folder, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var path = Path.Combine(folder, FileName(checkpoint.Epoch));
        CheckpointFile.Write(path, checkpoint);
        foreach (var old in Directory.GetFiles(folder, $"{Prefix}*{Extension}").Where(p => EpochOf(p) is >= 0 and var e && e != checkpoint.Epoch))
        {
            File.Delete(old);
        }

        return path;
    }

    /// <summary>A checkpoint file itself, or the latest checkpoint in a run folder.</summary>
    /// <exception cref="CheckpointException">Neither exists.</exception>
    public static string Find(string fileOrFolder) =>
        File.Exists(fileOrFolder) ? fileOrFolder
        : Latest(fileOrFolder) ?? throw new CheckpointException($"{Path.GetFullPath(fileOrFolder)} is neither a checkpoint nor a folder holding one ({FileName(1)}, ...).");

    /// <summary>True when <paramref name="path"/> is named like a checkpoint.</summary>
    public static bool IsCheckpoint(string path) => EpochOf(path) >= 0;

    private static int EpochOf(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : -1;
    }
}
