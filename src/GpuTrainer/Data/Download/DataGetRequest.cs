using GpuTrainer.Training;

namespace GpuTrainer.Data.Download;

/// <summary>`gputrainer data get NAME [--to DIR] [--mirror URL]` as a library request: which data set, where, from where first.</summary>
/// <param name="Action">The data verb's action; only "get" exists.</param>
/// <param name="Name">A <see cref="DataSetCatalog"/> name.</param>
/// <param name="To">The folder to download into; null for the per-user cache that <c>--data NAME</c> finds.</param>
/// <param name="Mirror">A base URL tried before the built-in mirrors; null for none.</param>
public sealed record DataGetRequest(string Action, string Name, string? To, string? Mirror)
{
    /// <summary>The data set to fetch, with <see cref="Mirror"/> first, checked; one sentence naming a bad value.</summary>
    /// <exception cref="OptionsException">An unknown action or data set, or a mirror that is not an http(s) URL.</exception>
    public DataSetSource Source()
    {
        if (!Action.Equals("get", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsException($"Unknown data action '{Action}'; use 'data get NAME'.");
        }

        var source = DataSetCatalog.Find(Name)
            ?? throw new OptionsException($"Unknown data set '{Name}'; use {string.Join(", ", DataSetCatalog.All.Select(s => s.Name))}.");
        if (Mirror is null)
        {
            return source;
        }

        return Uri.TryCreate(Mirror, UriKind.Absolute, out var mirror) && (mirror.Scheme == Uri.UriSchemeHttp || mirror.Scheme == Uri.UriSchemeHttps)
            ? source.WithMirrorFirst(mirror)
            : throw new OptionsException($"--mirror must be an http or https URL, got '{Mirror}'.");
    }

    /// <summary>Where the files go: <see cref="To"/>, or the per-user cache folder of <paramref name="source"/>.</summary>
    public string Folder(DataSetSource source) => To ?? DataLocation.CachePathOf(source);
}
