using System.Globalization;
using System.Reflection;
using GpuTrainer.Compute;

namespace GpuTrainer.Study;

/// <summary>
/// The command lines a scheduler's jobs run, shared by the Slurm and Kubernetes emitters:
/// <c>gputrainer study plan|cell|report</c> on the study folder, with the device and thread count of the request.
/// </summary>
/// <param name="Program">How a node starts gputrainer (e.g. ["gputrainer"] or ["dotnet", "/opt/gputrainer/GpuTrainer.Cli.dll"]).</param>
/// <param name="Folder">The study folder as the nodes see it.</param>
/// <param name="Device">The device the plan and the cells train on.</param>
/// <param name="Threads">Threads for the managed CPU backend.</param>
public sealed record WorkerCommands(IReadOnlyList<string> Program, string Folder, DeviceKind Device, int Threads)
{
    /// <summary>How this process was started: the apphost, or <c>dotnet</c> and the CLI's assembly.</summary>
    public static IReadOnlyList<string> CurrentProgram()
    {
        var process = Environment.ProcessPath ?? "gputrainer";
#pragma warning disable IL3000 // Empty in a single-file app (the GPU bundle), which is then started as itself: handled below.
        var entry = Assembly.GetEntryAssembly()?.Location;
#pragma warning restore IL3000
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry) ? [process, entry] : [process];
    }

    /// <summary>The plan job: range tests and manifest, the recipe read from <paramref name="planFile"/>.</summary>
    public IReadOnlyList<string> Plan(string planFile) => [.. Program, "study", "plan", "--study-json", planFile, .. Common()];

    /// <summary>An array task: the task index comes from the scheduler's environment.</summary>
    public IReadOnlyList<string> Cell() => [.. Program, "study", "cell", .. Common()];

    /// <summary>The report job.</summary>
    public IReadOnlyList<string> Report() => [.. Program, "study", "report", "--out", Folder];

    /// <summary>A POSIX shell word for <paramref name="arg"/>: as is when plain, else single-quoted.</summary>
    public static string ShellQuote(string arg) =>
        arg.Length > 0 && arg.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./=:,+%@".Contains(ch))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string[] Common() =>
        ["--out", Folder, "--device", Backends.Names[(int)Device], "--threads", Threads.ToString(CultureInfo.InvariantCulture)];
}
