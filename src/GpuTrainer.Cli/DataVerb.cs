using CommandLine;

namespace GpuTrainer.Cli;

[Verb("data", HelpText = "Data sets: 'data get mnist|fashion-mnist|kmnist' downloads the four IDX files, 'data get cifar10' the binary tarball (unpacked in-process), verifies their SHA-256 and prints the --data to use.")]
public sealed class DataVerb
{
    [Value(0, MetaName = "action", Required = true, HelpText = "get.")]
    public string Action { get; set; } = "";

    [Value(1, MetaName = "name", Required = true, HelpText = "mnist | fashion-mnist | kmnist | cifar10.")]
    public string Name { get; set; } = "";

    [Option("to", HelpText = "Folder to download into. Default: the per-user cache, $XDG_CACHE_HOME/gputrainer/data/NAME or ~/.cache/gputrainer/data/NAME, which '--data NAME' then finds.")]
    public string? To { get; set; }

    [Option("mirror", HelpText = "A base URL serving the data set's files under their names, tried before the built-in mirrors.")]
    public string? Mirror { get; set; }
}
