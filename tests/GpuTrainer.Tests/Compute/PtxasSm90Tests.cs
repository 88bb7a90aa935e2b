using System.Diagnostics;
using System.Text.RegularExpressions;
using GpuTrainer.Compute.Ilgpu;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>Where NVIDIA's ptxas is (the cache of scripts/install-deps.sh --ptxas, then PATH), or null.</summary>
internal static class Ptxas
{
    private static readonly Lazy<string?> _path = new(Find);

    public static string? Path => _path.Value;

    // CI asks for ptxas (.ci/run installs it): there a missing ptxas fails the test instead of skipping it.
    public static bool Required => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    private static string? Find()
    {
        var cache = Environment.GetEnvironmentVariable("GPUTRAINER_CUDA_CACHE")
            ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "gputrainer", "cuda");
        var folders = new[] { System.IO.Path.Combine(cache, "usr", "bin") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return folders.Select(f => System.IO.Path.Combine(f, "ptxas")).FirstOrDefault(File.Exists);
    }
}

/// <summary>A theory that needs ptxas: skipped visibly without it, unless CI is set, where it runs and fails.</summary>
public sealed class PtxasTheoryAttribute : TheoryAttribute
{
    public PtxasTheoryAttribute()
    {
        if (Ptxas.Path is null && !Ptxas.Required)
        {
            Skip = "ptxas not found; run 'bash scripts/install-deps.sh --ptxas' (CI=true makes this a failure).";
        }
    }
}

/// <summary>
/// Every kernel's PTX assembles for sm_90 (H100/H200) with NVIDIA's ptxas and spills no register:
/// the machine-code half of "GPU code proven without a GPU" (scripts/ptx-report.sh writes the full report).
/// </summary>
public sealed partial class PtxasSm90Tests
{
    public static TheoryData<string> KernelNames => new(IlgpuKernelCatalog.All.Select(k => k.Name));

    [PtxasTheory]
    [MemberData(nameof(KernelNames))]
    public void Kernel_assembles_for_sm90_without_spills(string name)
    {
        var ptxas = Ptxas.Path ?? throw new InvalidOperationException(
            "CI is set but ptxas was not found: add 'bash scripts/install-deps.sh --ptxas' to the CI setup.");
        var kernel = IlgpuKernelCatalog.All.Single(k => k.Name == name);
        using var folder = new TempDirectory();
        var ptx = Path.Combine(folder.Path, "kernel.ptx");
        File.WriteAllText(ptx, IlgpuKernelCatalog.Ptx([kernel]).Single().Ptx);

        var start = new ProcessStartInfo(ptxas, ["-arch=sm_90", "-v", "-o", Path.Combine(folder.Path, "kernel.cubin"), ptx])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var log = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, $"ptxas failed on {name}:\n{log}");
        var spills = SpillLine().Match(log);
        Assert.True(spills.Success, $"ptxas -v printed no spill line for {name}:\n{log}");
        Assert.True(spills.Groups[1].Value == "0" && spills.Groups[2].Value == "0", $"{name} spills registers on sm_90: {spills.Value}");
    }

    [GeneratedRegex(@"(\d+) bytes spill stores, (\d+) bytes spill loads")]
    private static partial Regex SpillLine();
}
