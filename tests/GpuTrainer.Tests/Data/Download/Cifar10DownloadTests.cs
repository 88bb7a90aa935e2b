using System.Security.Cryptography;
using GpuTrainer.Data;
using GpuTrainer.Data.Download;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Data.Download;

/// <summary>
/// `data get cifar10`'s path against a real HTTP server on 127.0.0.1 serving a generated tarball in the published layout:
/// downloaded, verified, unpacked in-process, resumed after a cut, refused when the bytes differ. Never the internet.
/// </summary>
public sealed class Cifar10DownloadTests : IDisposable
{
    private readonly LoopbackHttpServer _server = new();
    private readonly TempDirectory _temp = new();
    private readonly StringWriter _log = new();
    private readonly byte[] _tarball = CifarFiles.Tarball();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
        _log.Dispose();
    }

    private DataSetSource Source() => DataSetCatalog.Cifar10 with
    {
        Mirrors = [new Uri(_server.BaseAddress, "kriz/")],
        Files = [new("cifar-10-binary.tar.gz", _tarball.Length, Convert.ToHexStringLower(SHA256.HashData(_tarball)))],
    };

    private string Get(DataSetSource source)
    {
        using var downloader = new DataDownloader(_log);
        return downloader.Get(source, _temp.File("data"));
    }

    [Fact]
    public void The_catalogue_holds_the_published_tarball()
    {
        var file = Assert.Single(DataSetCatalog.Cifar10.Files);
        Assert.Equal(("cifar-10-binary.tar.gz", 170_052_171L, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"), (file.Name, file.Bytes, file.Sha256));
        Assert.Equal("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", new Uri(DataSetCatalog.Cifar10.Mirrors[0], file.Name).AbsoluteUri);
        Assert.Same(DataSetCatalog.Cifar10, DataSetCatalog.Find("CIFAR10"));
    }

    [Fact]
    public void A_cut_download_resumes_then_the_verified_tarball_unpacks_into_data_run_reads()
    {
        _server.Serve("/kriz/cifar-10-binary.tar.gz", new(_tarball, CutAfter: _tarball.Length / 2));
        Assert.Throws<DownloadFailedException>(() => Get(Source()));
        Assert.False(Directory.Exists(Path.Combine(_temp.File("data"), Cifar10Reader.Folder)));

        _server.Serve("/kriz/cifar-10-binary.tar.gz", new(_tarball));
        var folder = Get(Source());

        Assert.Contains($"bytes={_tarball.Length / 2}-", _server.Requests[^1], StringComparison.Ordinal);
        Assert.Contains("cifar-10-batches-bin: unpacked 7 files", _log.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "escape.bin")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(folder)!, "escape.bin")));
        var data = RunData.Load(folder);
        Assert.Equal((40, 10, 3), (data.Train.Count, data.Test.Count, data.Train.Channels));

        // Again: present and verified, unpacked already, no request.
        var requests = _server.Requests.Count;
        Get(Source());
        Assert.Equal(requests, _server.Requests.Count);
        Assert.Contains("cifar-10-batches-bin: unpacked already", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_bytes_fail_the_checksum_and_nothing_is_unpacked()
    {
        var other = (byte[])_tarball.Clone();
        other[100] ^= 1;
        _server.Serve("/kriz/cifar-10-binary.tar.gz", new(other));

        Assert.Throws<ChecksumMismatchException>(() => Get(Source()));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.File("data")));
    }
}
