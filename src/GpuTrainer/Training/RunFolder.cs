using System.Globalization;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Training;

/// <summary>
/// A run's output folder, written atomically: files go to a hidden sibling "<c>.name.partial</c>" that
/// is renamed to the final name by <see cref="Complete"/>. Disposing without completing deletes the
/// partial folder, so a failed run leaves nothing half-written, and an existing non-empty folder is never
/// overwritten. Two exceptions keep it: an interrupted run (<see cref="Keep"/>, or a killed process) leaves its
/// partial folder with its checkpoints for <see cref="Resume"/>, and a resumed partial folder is never deleted.
/// </summary>
public sealed class RunFolder : IDisposable
{
    private readonly bool _deleteOnFailure;
    private readonly string? _madeParent;   // the folder above the run (runs/) when Create made it
    private bool _completed;
    private bool _kept;

    private RunFolder(string finalPath, string workingPath, bool deleteOnFailure, bool replacesFinal, string? madeParent = null)
    {
        _madeParent = madeParent;
        FinalPath = finalPath;
        WorkingPath = workingPath;
        _deleteOnFailure = deleteOnFailure;
        ReplacesFinal = replacesFinal;
    }

    /// <summary>Where the run's files end up.</summary>
    public string FinalPath { get; }

    /// <summary>Where files are written until <see cref="Complete"/>.</summary>
    public string WorkingPath { get; }

    /// <summary>Where runs go when no folder is given: runs/<paramref name="name"/> under the current directory.</summary>
    public static string DefaultPath(string name) => Path.Combine("runs", name);

    /// <summary>The local time as default folder names start with: "20261201-130500".</summary>
    public static string Stamp() => DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>True when this extends a finished run: <see cref="Complete"/> replaces its folder.</summary>
    public bool ReplacesFinal { get; }

    /// <summary>Starts a run folder at <paramref name="path"/>; throws <see cref="OutputExistsException"/> when it already holds files.</summary>
    public static RunFolder Create(string path)
    {
        var finalPath = Path.GetFullPath(path);
        if (System.IO.File.Exists(finalPath) || (Directory.Exists(finalPath) && Directory.EnumerateFileSystemEntries(finalPath).Any()))
        {
            throw new OutputExistsException($"The output folder {finalPath} already exists and is not empty; choose another --out or remove it.");
        }

        var working = WorkingPathOf(finalPath);
        if (RunCheckpoints.Latest(working) is not null)
        {
            throw new OutputExistsException(
                $"{working} holds an interrupted run with checkpoints; continue it with 'gputrainer run --resume {finalPath}' or remove it.");
        }

        if (Directory.Exists(working))
        {
            Directory.Delete(working, recursive: true);   // left by an earlier run killed before its first checkpoint
        }

        var parent = Path.GetDirectoryName(working)!;
        var madeParent = Directory.Exists(parent) ? null : parent;
        Directory.CreateDirectory(working);
        return new RunFolder(finalPath, working, deleteOnFailure: true, replacesFinal: false, madeParent);
    }

    /// <summary>
    /// Reopens the run at <paramref name="path"/> (its final name, or its ".name.partial" folder) to continue it from
    /// its latest checkpoint: an interrupted run goes on in its partial folder; a finished one is extended in a new
    /// partial folder holding a copy of its latest checkpoint, and the finished folder stays as it is until
    /// <see cref="Complete"/>. Nothing is changed in an interrupted folder until <see cref="ClearDerivedFiles"/>.
    /// </summary>
    /// <returns>The folder and the checkpoint to continue from.</returns>
    /// <exception cref="CheckpointException">Neither holds a checkpoint.</exception>
    public static (RunFolder Folder, string Checkpoint) Resume(string path)
    {
        var full = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar));
        var name = Path.GetFileName(full);
        var finalPath = name.StartsWith('.') && name.EndsWith(".partial", StringComparison.Ordinal)
            ? Path.Combine(Path.GetDirectoryName(full)!, name[1..^".partial".Length])
            : full;
        var working = WorkingPathOf(finalPath);
        if (RunCheckpoints.Latest(working) is { } interrupted)
        {
            return (new RunFolder(finalPath, working, deleteOnFailure: false, replacesFinal: false), interrupted);
        }

        var finished = RunCheckpoints.Latest(finalPath)
            ?? throw new CheckpointException($"Neither {finalPath} nor {working} holds a checkpoint to resume from.");
        if (Directory.Exists(working))
        {
            Directory.Delete(working, recursive: true);   // a copy abandoned before its first checkpoint
        }

        Directory.CreateDirectory(working);
        var copy = Path.Combine(working, Path.GetFileName(finished));
        System.IO.File.Copy(finished, copy);
        return (new RunFolder(finalPath, working, deleteOnFailure: true, replacesFinal: true), copy);
    }

    /// <summary>The working path of a file in this run.</summary>
    public string PathOf(string name) => Path.Combine(WorkingPath, name);

    /// <summary>Deletes every file but the checkpoints from the working folder: a resumed run rebuilds them from its checkpoint.</summary>
    public void ClearDerivedFiles()
    {
        foreach (var file in Directory.GetFiles(WorkingPath).Where(f => !RunCheckpoints.IsCheckpoint(f)))
        {
            System.IO.File.Delete(file);
        }
    }

    /// <summary>Leaves the partial folder in place when disposed unfinished (an interrupted run, to be resumed).</summary>
    public void Keep() => _kept = true;

    /// <summary>Moves the finished files into place (replacing the finished run this one extends).</summary>
    public void Complete()
    {
        var old = Path.Combine(Path.GetDirectoryName(FinalPath)!, $".{Path.GetFileName(FinalPath)}.old");
        if (ReplacesFinal)
        {
            Directory.Move(FinalPath, old);
        }
        else if (Directory.Exists(FinalPath))
        {
            Directory.Delete(FinalPath);   // empty, as checked at creation
        }

        Directory.Move(WorkingPath, FinalPath);
        _completed = true;
        if (ReplacesFinal)
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Deletes the checkpoints from the working folder (a diverged run's would only diverge again).</summary>
    public void ClearCheckpoints()
    {
        foreach (var file in Directory.GetFiles(WorkingPath).Where(RunCheckpoints.IsCheckpoint))
        {
            System.IO.File.Delete(file);
        }
    }

    /// <summary>Deletes the unfinished working folder (unless kept or resumed), and the folder above it (runs/) if it made it and it is empty.</summary>
    public void Dispose()
    {
        if (!_completed && !_kept && _deleteOnFailure && Directory.Exists(WorkingPath))
        {
            Directory.Delete(WorkingPath, recursive: true);
            try
            {
                if (_madeParent is not null)
                {
                    Directory.Delete(_madeParent);   // not when another run has written into it meanwhile: it is not empty
                }
            }
            catch (IOException)
            {
            }
        }
    }

    private static string WorkingPathOf(string finalPath)
    {
        var parent = Path.GetDirectoryName(finalPath) ?? throw new OutputExistsException($"The output folder {finalPath} has no parent folder.");
        return Path.Combine(parent, $".{Path.GetFileName(finalPath)}.partial");
    }
}

/// <summary>The requested output already exists; nothing was written.</summary>
public sealed class OutputExistsException(string message) : IOException(message);
