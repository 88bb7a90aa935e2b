namespace GpuTrainer.Tests.Cli;

/// <summary>Runs the CLI in-process and returns its exit code, standard output and standard error.</summary>
internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GpuTrainer.Cli.Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
