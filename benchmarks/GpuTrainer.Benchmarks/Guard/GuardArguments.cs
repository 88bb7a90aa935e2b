using System.Globalization;

namespace GpuTrainer.Benchmarks.Guard;

/// <summary>The guard's command line; see <see cref="GuardCommand"/>.</summary>
internal sealed record GuardArguments(
    bool Smoke, bool UpdateBaseline, bool KeepLower, string BaselinePath, double? Margin, int Samples, int? Threads, string Filter)
{
    /// <summary>Parses the arguments after "guard"; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public static GuardArguments Parse(IReadOnlyList<string> args)
    {
        var result = new GuardArguments(false, false, false, DefaultBaselinePath(), null, 7, null, "");
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            result = args[i] switch
            {
                "--smoke" => result with { Smoke = true },
                "--update-baseline" => result with { UpdateBaseline = true },
                "--keep-lower" => result with { KeepLower = true },
                "--baseline" => result with { BaselinePath = Value() },
                "--margin" => result with { Margin = Number(Value(), "--margin", 0, 1) },
                "--samples" => result with { Samples = (int)Number(Value(), "--samples", 1, 1000) },
                "--threads" => result with { Threads = (int)Number(Value(), "--threads", 0, 1024) },
                "--filter" => result with { Filter = Value() },
                _ => throw new ArgumentException($"unknown option '{args[i]}'; use --smoke, --update-baseline, --keep-lower, --baseline PATH, --margin F, --samples N, --threads N or --filter TEXT."),
            };
        }

        return result.Smoke && result.UpdateBaseline ? throw new ArgumentException("--smoke and --update-baseline exclude each other.")
            : result.KeepLower && !result.UpdateBaseline ? throw new ArgumentException("--keep-lower goes with --update-baseline.")
            : result;
    }

    private static double Number(string text, string option, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{option} takes a number from {min} to {max}, not '{text}'.");

    // benchmarks/baselines/cpu.json of the repository holding the current directory (else the executable).
    private static string DefaultBaselinePath()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GpuTrainer.sln")))
                {
                    return Path.Combine(dir.FullName, "benchmarks", "baselines", "cpu.json");
                }
            }
        }

        return Path.Combine("benchmarks", "baselines", "cpu.json");
    }
}
