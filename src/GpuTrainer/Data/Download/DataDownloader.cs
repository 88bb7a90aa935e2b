using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using GpuTrainer.Logging;

namespace GpuTrainer.Data.Download;

/// <summary>
/// Downloads a <see cref="DataSetSource"/> into a folder and verifies every file's SHA-256.
/// <para>
/// Per file: an existing file under the final name is verified and kept (a wrong one is refused, never replaced).
/// Otherwise the bytes go to a hidden ".NAME.partial" beside it, which no data reader looks for; a partial file left
/// by an earlier attempt is resumed with an HTTP Range request (a server that ignores the range sends the whole file,
/// which then replaces the partial one). Mirrors are tried in order. Verified bytes are renamed to the final name;
/// bytes with another checksum are deleted. So the final name only ever holds verified data. A data set published as a
/// .tar.gz (<see cref="DataSetSource.Unpacks"/>) is then unpacked in-process beside its verified archive.
/// </para>
/// </summary>
public sealed class DataDownloader : IDisposable
{
    /// <summary>How long a response may stay silent before the connection counts as dropped.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    private const int BufferSize = 1 << 16;
    private readonly HttpClient _http;
    private readonly TextWriter _log;
    private readonly bool _progress;

    /// <param name="log">Where one line per file goes.</param>
    /// <param name="progress">Show a progress bar per file on a terminal.</param>
    public DataDownloader(TextWriter log, bool progress = false)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _progress = progress;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,   // bounded per read by IdleTimeout instead: a large file may take long
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("gputrainer");
    }

    /// <summary>Downloads and verifies every file of <paramref name="source"/> into <paramref name="folder"/> (created if needed).</summary>
    /// <returns>The full path of the folder, ready for <c>--data</c>.</returns>
    /// <exception cref="DownloadFailedException">A file could not be fetched from any mirror.</exception>
    /// <exception cref="ChecksumMismatchException">A file's bytes are not the published ones.</exception>
    public string Get(DataSetSource source, string folder)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = Path.GetFullPath(folder);
        Directory.CreateDirectory(target);
        foreach (var file in source.Files)
        {
            Fetch(source, file, target);
        }

        if (source.Unpacks is { } unpacks)
        {
            foreach (var file in source.Files)
            {
                TarGzUnpacker.Unpack(Path.Combine(target, file.Name), target, unpacks, _log);
            }
        }

        return target;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>SHA-256 of a file as 64 lower-case hex digits.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private void Fetch(DataSetSource source, DataSetFile file, string folder)
    {
        var final = Path.Combine(folder, file.Name);
        if (File.Exists(final))
        {
            var actual = Sha256Of(final);
            if (actual != file.Sha256)
            {
                throw new ChecksumMismatchException(
                    $"{final} already exists but its SHA-256 is {actual}, not the published {file.Sha256}; remove it and run again.");
            }

            _log.WriteLine($"{file.Name}: present and verified");
            return;
        }

        var partial = Path.Combine(folder, $".{file.Name}.partial");
        var failures = new List<string>();
        var mismatch = false;
        foreach (var mirror in source.Mirrors)
        {
            var url = new Uri(mirror, file.Name);
            try
            {
                var resumedFrom = Download(url, partial, file);
                var actual = Sha256Of(partial);
                if (actual != file.Sha256)
                {
                    File.Delete(partial);
                    mismatch = true;
                    failures.Add($"{url} sent bytes with SHA-256 {actual}, not the published {file.Sha256}");
                    continue;
                }

                File.Move(partial, final);
                _log.WriteLine(resumedFrom > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{file.Name}: resumed at byte {resumedFrom:N0}, verified ({url})")
                    : $"{file.Name}: downloaded and verified ({url})");
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                failures.Add($"{url}: {Reason(e)}");
            }
        }

        var detail = string.Join("; ", failures);
        throw mismatch
            ? new ChecksumMismatchException($"{file.Name} failed its checksum ({detail}); the bad bytes were deleted.")
            : new DownloadFailedException($"{file.Name} could not be downloaded ({detail}).");
    }

    /// <summary>Brings <paramref name="partial"/> to the whole file from <paramref name="url"/>; returns the byte it resumed at (0: from the start).</summary>
    private long Download(Uri url, string partial, DataSetFile file)
    {
        var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (have > file.Bytes)
        {
            File.Delete(partial);   // longer than the file can be: not a prefix of it
            have = 0;
        }

        if (have == file.Bytes)
        {
            return have;   // complete already; the checksum decides
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = WithIdleTimeout(t => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, t));
        var resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        if (!response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.PartialContent && !resumed))
        {
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} ({response.ReasonPhrase})"));
        }

        var start = resumed ? have : 0;
        var expected = file.Bytes - start;
        using var body = WithIdleTimeout(t => response.Content.ReadAsStreamAsync(t));
        using var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
        using var bar = _progress && !Console.IsOutputRedirected ? ConsoleProgress.ForConsole(file.Name, (file.Bytes + 1023) / 1024, "KiB") : null;
        var buffer = new byte[BufferSize];
        var received = 0L;
        while (true)
        {
            var read = WithIdleTimeout(t => body.ReadAsync(buffer, t).AsTask());
            if (read == 0)
            {
                break;
            }

            received += read;
            if (received > expected)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"the server sent more than the file's {file.Bytes:N0} bytes"));
            }

            output.Write(buffer, 0, read);
            bar?.Report((start + received) / 1024);
        }

        output.Flush(flushToDisk: true);
        if (received < expected)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"the connection closed after {start + received:N0} of {file.Bytes:N0} bytes"));
        }

        return start;
    }

    private static T WithIdleTimeout<T>(Func<CancellationToken, Task<T>> operation)
    {
        using var idle = new CancellationTokenSource(IdleTimeout);
        try
        {
            return operation(idle.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            throw new IOException($"no data for {IdleTimeout.TotalSeconds:F0} s");
        }
    }

    private static string Reason(Exception e) => e switch
    {
        HttpRequestException { InnerException: { } inner } => inner.Message.TrimEnd('.'),
        _ => e.Message.TrimEnd('.'),
    };
}
