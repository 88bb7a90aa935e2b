namespace GpuTrainer.Data.Download;

/// <summary>Where a data set is published: its files and the mirrors that serve them, tried in order.</summary>
/// <param name="Name">The name `data get` and `--data` take, e.g. "mnist".</param>
/// <param name="Mirrors">Base addresses ending in '/', each serving every file under its name.</param>
/// <param name="Files">The files, with their published lengths and checksums.</param>
public sealed record DataSetSource(string Name, IReadOnlyList<Uri> Mirrors, IReadOnlyList<DataSetFile> Files)
{
    /// <summary>This source with <paramref name="mirror"/> tried before the others.</summary>
    public DataSetSource WithMirrorFirst(Uri mirror)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        var address = mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/");
        return this with { Mirrors = [address, .. Mirrors.Where(m => m != address)] };
    }
}
