using System.Text.Json;

namespace GpuTrainer.Benchmarks.Guard;

/// <summary>A kernel's committed figures: its speedup over the float64 reference, and for information the throughputs behind it.</summary>
public sealed record KernelBaseline(double Speedup, string Reference, string Backend);

/// <summary>
/// benchmarks/baselines/cpu.json: per kernel key, the median speedup of the managed CPU backend over the float64
/// reference measured in the same run, and the margin by which a later measurement may fall below it; LoadAverage is the
/// machine's load average (1 minute, /proc/loadavg) when the update began and ended (absent in older files).
/// </summary>
public sealed record GuardBaseline(double Margin, string Machine, string Updated, string? LoadAverage, SortedDictionary<string, KernelBaseline> Kernels)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static GuardBaseline Load(string path) =>
        JsonSerializer.Deserialize<GuardBaseline>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no baseline.");

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }
}
