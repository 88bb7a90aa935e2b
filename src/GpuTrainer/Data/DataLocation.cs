using GpuTrainer.Data.Download;

namespace GpuTrainer.Data;

/// <summary>
/// What a <c>--data</c> value means: nothing (the embedded sample), an existing directory, or the name of a known
/// data set (<see cref="DataSetCatalog"/>), which stands for its downloaded copy in the per-user cache.
/// </summary>
public static class DataLocation
{
    /// <summary>
    /// The per-user folder downloads go to by default: $XDG_CACHE_HOME/gputrainer/data when that variable holds an
    /// absolute path, else ~/.cache/gputrainer/data.
    /// </summary>
    public static string CacheRoot
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var cache = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "gputrainer", "data");
        }
    }

    /// <summary>The cache folder of the data set <paramref name="name"/>.</summary>
    public static string CachePathOf(DataSetSource source) => Path.Combine(CacheRoot, source.Name);

    /// <summary>
    /// The directory <paramref name="data"/> stands for: the embedded sample when null, the directory itself when it
    /// exists, the cached download when it names a known data set, else the value as given (the reader then says
    /// which file is missing).
    /// </summary>
    /// <exception cref="DataFormatException">It names a known data set that has not been downloaded.</exception>
    public static string Resolve(string? data)
    {
        if (data is null)
        {
            return DefaultData.Locate();
        }

        if (Directory.Exists(data) || DataSetCatalog.Find(data) is not { } source)
        {
            return data;
        }

        var cached = CachePathOf(source);
        return Directory.Exists(cached) && source.Files.All(f => File.Exists(Path.Combine(cached, f.Name)))
            && (source.Unpacks is null || Directory.Exists(Path.Combine(cached, source.Unpacks)))
            ? cached
            : throw new DataFormatException(
                $"The data set '{source.Name}' has not been downloaded to {cached}; run 'gputrainer data get {source.Name}' first.");
    }
}
