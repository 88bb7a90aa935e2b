using GpuTrainer.Data.Download;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer data get NAME`: downloads and verifies a known data set, then says which --data to use.</summary>
public static class DataCommand
{
    public static int Execute(DataVerb v, TextWriter output)
    {
        var request = new DataGetRequest(v.Action, v.Name, v.To, v.Mirror);
        var source = request.Source();
        using var downloader = new DataDownloader(output, progress: true);
        var folder = downloader.Get(source, request.Folder(source));
        output.WriteLine(v.To is null
            ? $"{source.Name} is ready in {folder}: use --data {source.Name} (or --data {folder})"
            : $"{source.Name} is ready: use --data {folder}");
        return ExitCodes.Ok;
    }
}
