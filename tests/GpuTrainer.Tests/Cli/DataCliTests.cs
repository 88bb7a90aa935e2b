using GpuTrainer.Cli;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>`gputrainer data get`: its failures as one sentence and an exit code, without a network.</summary>
public sealed class DataCliTests
{
    [Theory]
    [InlineData("get|emnist", "Unknown data set 'emnist'; use mnist, fashion-mnist, kmnist, cifar10.")]
    [InlineData("fetch|mnist", "Unknown data action 'fetch'")]
    [InlineData("get|mnist|--mirror|ftp://example.org/", "--mirror must be an http or https URL")]
    public void Bad_requests_are_one_sentence_and_exit_code_2(string args, string fragment)
    {
        var (code, _, error) = CliHarness.Run(["data", .. args.Split('|')]);

        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.StartsWith($"gputrainer: ", error, StringComparison.Ordinal);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_present_file_with_the_wrong_checksum_is_exit_code_10_before_any_request()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("train-images-idx3-ubyte.gz"), "not mnist");

        var (code, _, error) = CliHarness.Run("data", "get", "mnist", "--to", temp.Path);

        Assert.Equal(ExitCodes.ChecksumMismatch, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("already exists but its SHA-256", error, StringComparison.Ordinal);
        Assert.Equal("not mnist", File.ReadAllText(temp.File("train-images-idx3-ubyte.gz")));
    }
}
