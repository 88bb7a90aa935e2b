using GpuTrainer.Data;
using GpuTrainer.Data.Download;
using Xunit;

namespace GpuTrainer.Tests.Data.Download;

/// <summary>What `--data` means: the sample, a directory, or a data set name standing for its download in the per-user cache.</summary>
public sealed class DataLocationTests
{
    [Fact]
    public void A_name_means_the_downloaded_copy_in_the_cache_and_an_absent_one_says_how_to_get_it()
    {
        using var temp = new TempDirectory();
        var saved = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", temp.Path);
            var cached = Path.Combine(temp.Path, "gputrainer", "data", "mnist");
            Assert.Equal(cached, DataLocation.CachePathOf(DataSetCatalog.Mnist));
            Directory.CreateDirectory(cached);
            foreach (var file in DataSetCatalog.Mnist.Files)
            {
                File.WriteAllBytes(Path.Combine(cached, file.Name), []);
            }

            Assert.Equal(cached, DataLocation.Resolve("mnist"));
            Assert.Equal(cached, DataLocation.Resolve("MNIST"));
            var e = Assert.Throws<DataFormatException>(() => DataLocation.Resolve("kmnist"));
            Assert.Contains("run 'gputrainer data get kmnist' first", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved);
        }
    }

    [Fact]
    public void Null_is_the_sample_and_a_directory_is_itself()
    {
        using var temp = new TempDirectory();
        Assert.Equal(RepoPaths.MnistSample, DataLocation.Resolve(null));
        Assert.Equal(temp.Path, DataLocation.Resolve(temp.Path));
        Assert.Equal("no/such/dir", DataLocation.Resolve("no/such/dir"));
    }

    [Fact]
    public void Every_catalogued_file_has_a_length_and_a_sha256()
    {
        foreach (var source in DataSetCatalog.All)
        {
            Assert.NotEmpty(source.Mirrors);
            Assert.Equal(
                source.Unpacks is null
                    ? ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
                    : ["cifar-10-binary.tar.gz"],
                source.Files.Select(f => f.Name));
            Assert.All(source.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
            Assert.All(source.Files, f => Assert.True(f.Bytes > 0));
        }
    }
}
