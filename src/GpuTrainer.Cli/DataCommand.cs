using GpuTrainer.Training;
using GpuTrainer.Data;
using GpuTrainer.Data.Download;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer data get NAME`: downloads and verifies a known data set, then says which --data to use.</summary>
public static class DataCommand
{
    public static int Execute(DataVerb o, TextWriter output)
    {
        if (!o.Action.Equals("get", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsException($"Unknown data action '{o.Action}'; use 'data get NAME'.");
        }

        var source = DataSetCatalog.Find(o.Name)
            ?? throw new OptionsException($"Unknown data set '{o.Name}'; use {string.Join(", ", DataSetCatalog.All.Select(s => s.Name))}.");
        if (o.Mirror is not null)
        {
            source = Uri.TryCreate(o.Mirror, UriKind.Absolute, out var mirror) && (mirror.Scheme == Uri.UriSchemeHttp || mirror.Scheme == Uri.UriSchemeHttps)
                ? source.WithMirrorFirst(mirror)
                : throw new OptionsException($"--mirror must be an http or https URL, got '{o.Mirror}'.");
        }

        using var downloader = new DataDownloader(output, progress: true);
        var folder = downloader.Get(source, o.To ?? DataLocation.CachePathOf(source));
        output.WriteLine(o.To is null
            ? $"{source.Name} is ready in {folder}: use --data {source.Name} (or --data {folder})"
            : $"{source.Name} is ready: use --data {folder}");
        return ExitCodes.Ok;
    }
}
