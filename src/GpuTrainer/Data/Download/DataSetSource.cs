namespace GpuTrainer.Data.Download;

/// <summary>Where a data set is published: its files and the mirrors that serve them, tried in order.</summary>
/// <param name="Name">The name `data get` and `--data` take, e.g. "mnist".</param>
/// <param name="Mirrors">Base addresses ending in '/', each serving every file under its name.</param>
/// <param name="Files">The files, with their published lengths and checksums.</param>
/// <param name="Unpacks">For a data set published as a .tar.gz: the folder of the archive to unpack beside it (see <see cref="TarGzUnpacker"/>); null when the files are used as they are.</param>
public sealed record DataSetSource(string Name, IReadOnlyList<Uri> Mirrors, IReadOnlyList<DataSetFile> Files, string? Unpacks = null)
{
    /// <summary>This source with <paramref name="mirror"/> tried before the others.</summary>
    public DataSetSource WithMirrorFirst(Uri mirror)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        var address = mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/");
        return this with { Mirrors = [address, .. Mirrors.Where(m => m != address)] };
    }
}
