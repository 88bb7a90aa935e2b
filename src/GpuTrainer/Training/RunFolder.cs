using System.Globalization;

namespace GpuTrainer.Training;

/// <summary>
/// A run's output folder, written atomically: files go to a hidden sibling "<c>.name.partial</c>" that
/// is renamed to the final name by <see cref="Complete"/>. Disposing without completing deletes the
/// partial folder, so a failed or interrupted run leaves nothing half-written, and an existing
/// non-empty folder is never overwritten.
/// </summary>
public sealed class RunFolder : IDisposable
{
    private bool _completed;

    private RunFolder(string finalPath, string workingPath)
    {
        FinalPath = finalPath;
        WorkingPath = workingPath;
    }

    /// <summary>Where the run's files end up.</summary>
    public string FinalPath { get; }

    /// <summary>Where files are written until <see cref="Complete"/>.</summary>
    public string WorkingPath { get; }

    /// <summary>Where runs go when no folder is given: runs/<paramref name="name"/> under the current directory.</summary>
    public static string DefaultPath(string name) => Path.Combine("runs", name);

    /// <summary>The local time as default folder names start with: "20261201-130500".</summary>
    public static string Stamp() => DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>Starts a run folder at <paramref name="path"/>; throws <see cref="OutputExistsException"/> when it already holds files.</summary>
    public static RunFolder Create(string path)
    {
        var finalPath = Path.GetFullPath(path);
        if (System.IO.File.Exists(finalPath) || (Directory.Exists(finalPath) && Directory.EnumerateFileSystemEntries(finalPath).Any()))
        {
            throw new OutputExistsException($"The output folder {finalPath} already exists and is not empty; choose another --out or remove it.");
        }

        var parent = Path.GetDirectoryName(finalPath) ?? throw new OutputExistsException($"The output folder {finalPath} has no parent folder.");
        var working = Path.Combine(parent, $".{Path.GetFileName(finalPath)}.partial");
        if (Directory.Exists(working))
        {
            Directory.Delete(working, recursive: true);   // left by an earlier interrupted run
        }

        Directory.CreateDirectory(working);
        return new RunFolder(finalPath, working);
    }

    /// <summary>The working path of a file in this run.</summary>
    public string PathOf(string name) => Path.Combine(WorkingPath, name);

    /// <summary>Moves the finished files into place.</summary>
    public void Complete()
    {
        if (Directory.Exists(FinalPath))
        {
            Directory.Delete(FinalPath);   // empty, as checked at creation
        }

        Directory.Move(WorkingPath, FinalPath);
        _completed = true;
    }

    public void Dispose()
    {
        if (!_completed && Directory.Exists(WorkingPath))
        {
            Directory.Delete(WorkingPath, recursive: true);
        }
    }
}

/// <summary>The requested output already exists; nothing was written.</summary>
public sealed class OutputExistsException(string message) : IOException(message);
