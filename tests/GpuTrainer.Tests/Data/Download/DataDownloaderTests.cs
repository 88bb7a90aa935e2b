using System.Security.Cryptography;
using GpuTrainer.Data.Download;
using Xunit;

namespace GpuTrainer.Tests.Data.Download;

/// <summary>
/// <see cref="DataDownloader"/> against a real HTTP server on 127.0.0.1: good files, corrupted bytes, a 404, a
/// connection cut half way, resuming a partial file, mirrors in order. Never the internet.
/// </summary>
public sealed class DataDownloaderTests : IDisposable
{
    private readonly LoopbackHttpServer _server = new();
    private readonly TempDirectory _temp = new();
    private readonly StringWriter _log = new();
    private readonly byte[] _images = Bytes(70_001, seed: 1);
    private readonly byte[] _labels = Bytes(1_234, seed: 2);

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
        _log.Dispose();
    }

    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static DataSetFile FileOf(string name, byte[] body) => new(name, body.Length, Convert.ToHexStringLower(SHA256.HashData(body)));

    private DataSetSource Source(params string[] mirrors) => new(
        "fixture", [.. mirrors.Select(m => new Uri(_server.BaseAddress, m))], [FileOf("images.gz", _images), FileOf("labels.gz", _labels)]);

    private void ServeGood(string mirror)
    {
        _server.Serve($"/{mirror}images.gz", new(_images));
        _server.Serve($"/{mirror}labels.gz", new(_labels));
    }

    private string Target => _temp.File("data");

    private string[] FilesInTarget() => Directory.Exists(Target) ? [.. Directory.GetFiles(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    private string Get(DataSetSource source)
    {
        using var downloader = new DataDownloader(_log);
        return downloader.Get(source, Target);
    }

    [Fact]
    public void Good_files_are_downloaded_verified_and_named()
    {
        ServeGood("a/");

        var folder = Get(Source("a/"));

        Assert.Equal(Target, folder);
        Assert.Equal(["images.gz", "labels.gz"], FilesInTarget());
        Assert.Equal(_images, File.ReadAllBytes(Path.Combine(folder, "images.gz")));
        Assert.Equal(_labels, File.ReadAllBytes(Path.Combine(folder, "labels.gz")));
        Assert.Contains("images.gz: downloaded and verified", _log.ToString(), StringComparison.Ordinal);

        // A second call finds both verified and asks the server for nothing.
        var requests = _server.Requests.Count;
        Get(Source("a/"));
        Assert.Equal(requests, _server.Requests.Count);
        Assert.Contains("images.gz: present and verified", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupted_bytes_fail_the_checksum_and_leave_no_file()
    {
        var corrupted = (byte[])_images.Clone();
        corrupted[12_345] ^= 1;
        _server.Serve("/a/images.gz", new(corrupted));

        var e = Assert.Throws<ChecksumMismatchException>(() => Get(Source("a/")));

        Assert.Contains("images.gz failed its checksum", e.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(corrupted)), e.Message, StringComparison.Ordinal);
        Assert.Empty(FilesInTarget());
    }

    [Fact]
    public void A_404_fails_the_download_and_leaves_no_file()
    {
        var e = Assert.Throws<DownloadFailedException>(() => Get(Source("missing/")));

        Assert.Contains("images.gz could not be downloaded", e.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404 (Not Found)", e.Message, StringComparison.Ordinal);
        Assert.Empty(FilesInTarget());
    }

    [Fact]
    public void A_cut_connection_leaves_only_a_hidden_partial_file_which_the_next_call_resumes()
    {
        _server.Serve("/a/images.gz", new(_images, CutAfter: 30_000));
        _server.Serve("/a/labels.gz", new(_labels));

        var e = Assert.Throws<DownloadFailedException>(() => Get(Source("a/")));

        Assert.Contains("images.gz could not be downloaded", e.Message, StringComparison.Ordinal);
        Assert.Equal([".images.gz.partial"], FilesInTarget());
        Assert.Equal(_images[..30_000], File.ReadAllBytes(Path.Combine(Target, ".images.gz.partial")));

        _server.Serve("/a/images.gz", new(_images));
        Get(Source("a/"));

        Assert.Equal("GET /a/images.gz bytes=30000-", _server.Requests.First(r => r.Contains("bytes=", StringComparison.Ordinal)));
        Assert.Equal(_images, File.ReadAllBytes(Path.Combine(Target, "images.gz")));
        Assert.Equal(["images.gz", "labels.gz"], FilesInTarget());
        Assert.Contains("images.gz: resumed at byte 30,000, verified", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_file_is_resumed_with_a_range_and_restarted_when_the_server_ignores_ranges()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllBytes(Path.Combine(Target, ".images.gz.partial"), _images[..50_000]);
        File.WriteAllBytes(Path.Combine(Target, ".labels.gz.partial"), Bytes(600, seed: 9));   // not a prefix of the labels
        _server.Serve("/a/images.gz", new(_images));
        _server.Serve("/a/labels.gz", new(_labels, Ranges: false));

        Get(Source("a/"));

        Assert.Contains("GET /a/images.gz bytes=50000-", _server.Requests);
        Assert.Equal(_images, File.ReadAllBytes(Path.Combine(Target, "images.gz")));
        Assert.Equal(_labels, File.ReadAllBytes(Path.Combine(Target, "labels.gz")));
        Assert.Equal(["images.gz", "labels.gz"], FilesInTarget());
    }

    [Fact]
    public void Mirrors_are_tried_in_order_until_one_delivers()
    {
        ServeGood("b/");

        Get(Source("a/", "b/"));

        Assert.Equal(["GET /a/images.gz", "GET /b/images.gz", "GET /a/labels.gz", "GET /b/labels.gz"], _server.Requests);
        Assert.Equal(_images, File.ReadAllBytes(Path.Combine(Target, "images.gz")));
    }

    [Fact]
    public void An_existing_file_with_another_checksum_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllBytes(Path.Combine(Target, "images.gz"), [1, 2, 3]);
        ServeGood("a/");

        var e = Assert.Throws<ChecksumMismatchException>(() => Get(Source("a/")));

        Assert.Contains("already exists but its SHA-256", e.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(Target, "images.gz")));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void A_mirror_given_first_is_tried_first()
    {
        var source = Source("b/").WithMirrorFirst(new Uri(_server.BaseAddress, "a"));

        Assert.Equal([new Uri(_server.BaseAddress, "a/"), new Uri(_server.BaseAddress, "b/")], source.Mirrors);
    }
}
