namespace GpuTrainer.Logging;

/// <summary>
/// An output file that only appears under its final name when complete: bytes go to
/// "&lt;path&gt;.partial", and <see cref="Commit"/> renames that file to the final path.
/// Disposing without committing deletes the partial file. An existing final file is never
/// replaced unless the caller asked to overwrite it. A stale ".partial" left by a killed
/// process is ours to replace.
/// </summary>
internal sealed class StagedFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly bool _overwrite;
    private bool _done;

    /// <summary>
    /// Opens "<paramref name="path"/>.partial" for writing, creating the directory if needed; with
    /// <paramref name="shared"/> (a file that several processes rewrite at once, like a study's report page),
    /// "<paramref name="path"/>.UNIQUE.partial", so each writer stages its own copy and the last rename wins.
    /// </summary>
    /// <exception cref="IOException">The final file exists and <paramref name="overwrite"/> is false.</exception>
    public StagedFile(string path, bool overwrite, bool shared = false)
    {
        FinalPath = Path.GetFullPath(path);
        PartialPath = FinalPath + (shared ? $".{Guid.NewGuid():N}" : string.Empty) + ".partial";
        _overwrite = overwrite;
        ThrowIfExists(FinalPath, overwrite);
        var directory = Path.GetDirectoryName(FinalPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _stream = new FileStream(PartialPath, FileMode.Create, FileAccess.Write, FileShare.Read);
    }

    /// <summary>Where the file will be once committed.</summary>
    public string FinalPath { get; }

    /// <summary>Where the bytes are written until then.</summary>
    public string PartialPath { get; }

    /// <summary>The stream to write the content to.</summary>
    public Stream Stream => _stream;

    /// <summary>Throws the product's one-sentence error when <paramref name="path"/> exists and may not be replaced.</summary>
    public static void ThrowIfExists(string path, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
        {
            throw new IOException($"The file '{path}' already exists; choose another name or allow overwriting.");
        }
    }

    /// <summary>
    /// Flushes the content to disk and moves it to <see cref="FinalPath"/>. If a file took the final name
    /// meanwhile (and overwriting is not allowed), this throws and the content stays in the partial file.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        _done = true;
        ThrowIfExists(FinalPath, _overwrite);
        File.Move(PartialPath, FinalPath, _overwrite);
    }

    /// <summary>Abandons an uncommitted file: closes and deletes the partial file.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        _stream.Dispose();
        File.Delete(PartialPath);
    }
}
