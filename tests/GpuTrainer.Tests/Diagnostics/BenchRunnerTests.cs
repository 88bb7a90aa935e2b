using System.Text.Json;
using GpuTrainer.Compute;
using GpuTrainer.Diagnostics;
using Xunit;

namespace GpuTrainer.Tests.Diagnostics;

/// <summary>The small benchmark runs on the managed CPU backend and writes every figure the GPU check script reads.</summary>
public sealed class BenchRunnerTests
{
    [Fact]
    public void Small_run_prints_markdown_rows_and_writes_every_key_the_check_script_reads()
    {
        using var folder = new TempDirectory();
        var json = folder.File("bench.json");
        var output = new StringWriter();

        BenchRunner.Run(DeviceKind.Cpu, CheckSize.Small, threads: 2, output, json);

        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var results = document.RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("value").GetDouble());
        string[] keys = ["gemm_gflops", "adam_gbps", "copy_kernel_gbps", "lenet_epoch_upload_s", "lenet_epoch_resident_s"];
        Assert.Equal(keys.Order(), results.Keys.Order());
        Assert.All(results.Values, v => Assert.True(v > 0 && double.IsFinite(v)));
        Assert.Equal(keys.Length, output.ToString().Split('\n').Count(line => line.StartsWith("| ", StringComparison.Ordinal)) - 1);
    }
}
