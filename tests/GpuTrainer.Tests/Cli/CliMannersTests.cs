using GpuTrainer.Cli;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>Conventional manners: -h as well as --help, --version from the assembly, the exit codes as their own help section.</summary>
public sealed class CliMannersTests
{
    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("run", "-h")]
    [InlineData("lr-find", "-h")]
    [InlineData("study", "--help")]
    public void Help_comes_with_h_or_help_and_ends_with_the_exit_codes(params string[] args)
    {
        var (code, output, error) = Run(args);

        Assert.Equal((ExitCodes.Ok, ""), (code, error));
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var section = lines.IndexOf("Exit codes:");
        Assert.True(section > 0, output);
        Assert.Equal(
            ExitCodes.Meanings.Select(m => $"  {m.Code,3}  {m.Meaning}"),
            lines.Skip(section + 1).TakeWhile(l => l.Length > 0));
        Assert.DoesNotContain("Copyright", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verbs_help_lists_its_options_with_the_librarys_defaults()
    {
        var (_, output, _) = Run("study", "-h");

        Assert.Contains("(Default: sgd,adam)", output, StringComparison.Ordinal);
        Assert.Contains("(Default: fixed,step)", output, StringComparison.Ordinal);
        Assert.Contains("(Default: 2345)", output, StringComparison.Ordinal);
        Assert.Contains("--steps", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("run", "--version")]
    public void Version_prints_the_assembly_version(params string[] args)
    {
        var version = typeof(ExitCodes).Assembly.GetName().Version!;

        var (code, output, _) = Run(args);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal($"gputrainer {version.Major}.{version.Minor}.{version.Build}", output.Trim());
    }

    [Fact]
    public void Exit_codes_are_distinct()
    {
        Assert.Equal(ExitCodes.Meanings.Count, ExitCodes.Meanings.Select(m => m.Code).Distinct().Count());
        Assert.Equal(ExitCodes.Meanings.Select(m => m.Code).Order(), ExitCodes.Meanings.Select(m => m.Code));
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GpuTrainer.Cli.Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
