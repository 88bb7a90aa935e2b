using GpuTrainer.Cli;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using GpuTrainer.Logging;
using GpuTrainer.Tests.Data;
using GpuTrainer.Tests.Logging;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>The CLI in-process: a real short run, and every kind of bad input ending in one sentence and its exit code.</summary>
public sealed class CliTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GpuTrainer.Cli.Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    internal static void AssertOneSentenceError((int Code, string Out, string Err) result, int code, string fragment)
    {
        Assert.Equal(code, result.Code);
        var first = result.Err.Split('\n')[0];
        Assert.StartsWith("gputrainer: ", first, StringComparison.Ordinal);
        Assert.Contains(fragment, first, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_trains_on_the_sample_and_writes_csv_tensorboard_and_summary()
    {
        using var temp = new TempDirectory();
        var outDir = temp.File("run");

        var (code, output, error) = Run("run", "--opt", "sgd", "--lr", "0.05", "--momentum", "0.9", "--sched", "step", "--sched-unit", "epoch", "--epochs", "2", "--device", "cpu", "--out", outDir);

        Assert.True(code == 0, error);
        Assert.Contains("epoch 1/2", output, StringComparison.Ordinal);
        Assert.Contains("epoch 2/2", output, StringComparison.Ordinal);
        var csv = File.ReadAllLines(Path.Combine(outDir, "metrics.csv"));
        Assert.Equal("tag,step,value", csv[0]);
        Assert.Equal(2 * 63, csv.Count(l => l.StartsWith("LR/train,", StringComparison.Ordinal)));
        Assert.Equal(2 * 63, csv.Count(l => l.StartsWith("Loss/train,", StringComparison.Ordinal)));
        Assert.Equal(["Accuracy/test,1,", "Accuracy/test,2,"], csv.Where(l => l.StartsWith("Accuracy/", StringComparison.Ordinal)).Select(l => l[..16]));
        // StepLR stepped per epoch halves the rate every epoch by default (per batch: every 500 batches, ReferenceRecipeCliTests).
        Assert.Contains("LR/train,64,0.025", csv);

        var scalars = TensorBoardEventReader.ReadScalars(Directory.GetFiles(outDir, "events.out.tfevents.*").Single());
        Assert.Equal(["Accuracy/test", "LR/train", "Loss/test", "Loss/train"], scalars.Select(s => s.Tag).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(csv.Length - 1, scalars.Count);
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.Empty(Directory.GetDirectories(temp.Path, ".*partial*"));
    }

    [Fact]
    public void An_existing_run_folder_is_never_overwritten()
    {
        using var temp = new TempDirectory();
        var outDir = temp.File("run");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "mine.txt"), "keep me");

        AssertOneSentenceError(Run("run", "--epochs", "1", "--device", "cpu", "--out", outDir), ExitCodes.OutputExists, "already exists");
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(outDir, "mine.txt")));
        Assert.Single(Directory.GetFileSystemEntries(outDir));
    }

    [Theory]
    [InlineData("--opt", "rmsprop", "Unknown optimizer 'rmsprop'")]
    [InlineData("--lr", "-1", "learning rate must be a positive number")]
    [InlineData("--epochs", "0", "--epochs must be at least 1")]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    [InlineData("--sched", "bogus", "Unknown schedule 'bogus'")]
    [InlineData("--gamma", "1.5", "gamma must be in (0, 1]")]
    [InlineData("--sched-unit", "week", "Unknown --sched-unit 'week'")]
    [InlineData("--device", "tpu", "Unknown device 'tpu'")]
    [InlineData("--frobnicate", "1", "unknown option '--frobnicate'")]
    public void Impossible_options_give_one_sentence_and_exit_code_2(string option, string value, string fragment)
    {
        using var temp = new TempDirectory();
        AssertOneSentenceError(Run("run", "--out", temp.File("run"), option, value), ExitCodes.BadOptions, fragment);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void Momentum_with_adam_is_refused()
    {
        using var temp = new TempDirectory();
        AssertOneSentenceError(Run("run", "--opt", "adam", "--momentum", "0.9", "--out", temp.File("run")), ExitCodes.BadOptions, "Momentum applies to SGD only");
    }

    [Fact]
    public void A_truncated_data_file_gives_exit_code_3_and_leaves_nothing_behind()
    {
        using var temp = new TempDirectory();
        var data = Directory.CreateDirectory(temp.File("data")).FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.MnistSample, "*.gz"))
        {
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }

        var labels = Path.Combine(data, "train-labels-idx1-ubyte.gz");
        File.Delete(labels);
        IdxFiles.Write(Path.Combine(data, "train-labels-idx1-ubyte"), IdxFiles.Labels(new byte[100])[..^10], gzip: false);

        AssertOneSentenceError(Run("run", "--device", "cpu", "--data", data, "--out", temp.File("run")), ExitCodes.BadData, "train-labels-idx1-ubyte");
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void A_missing_data_directory_gives_exit_code_3()
    {
        using var temp = new TempDirectory();
        AssertOneSentenceError(Run("run", "--device", "cpu", "--data", temp.File("nowhere"), "--out", temp.File("run")), ExitCodes.BadData, "nowhere");
    }

    [Fact]
    public void Divergence_gives_exit_code_5_and_keeps_the_run_up_to_it()
    {
        using var temp = new TempDirectory();
        var result = Run("run", "--opt", "sgd", "--lr", "1e6", "--sched", "fixed", "--epochs", "2", "--device", "cpu", "--out", temp.File("run"));
        AssertOneSentenceError(result, ExitCodes.Diverged, "Training diverged at epoch 1, step ");

        // The folder is in place, with the metrics and the event file up to the divergence and diverged.json; no checkpoint.
        Assert.Equal([temp.File("run")], Directory.GetFileSystemEntries(temp.Path));
        var diverged = RunJson.Read<DivergedRun>(Path.Combine(temp.File("run"), TrainingRun.DivergedFile));
        Assert.Contains(diverged.Error, result.Err, StringComparison.Ordinal);
        var step = long.Parse(diverged.Error.Split("step ")[1].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        var losses = File.ReadAllLines(Path.Combine(temp.File("run"), TrainingRun.MetricsFile)).Where(l => l.StartsWith("Loss/train,", StringComparison.Ordinal)).ToList();
        Assert.Equal(step - 1, losses.Count);
        Assert.Single(Directory.GetFiles(temp.File("run"), "events.out.tfevents.*"));
        Assert.Empty(Directory.GetFiles(temp.File("run"), "*.gtck"));
    }

    [Fact]
    public void A_requested_gpu_that_is_absent_gives_exit_code_4()
    {
        if (IlgpuDevices.List().Any(d => d.Kind == DeviceKind.Cuda))
        {
            return;   // this machine has CUDA: nothing to check
        }

        using var temp = new TempDirectory();
        AssertOneSentenceError(Run("run", "--device", "cuda", "--out", temp.File("run")), ExitCodes.DeviceMissing, "CUDA");
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void Help_lists_every_verb_and_run_options_with_defaults()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("run", output, StringComparison.Ordinal);
        Assert.Contains("devices", output, StringComparison.Ordinal);

        (code, output, _) = Run("run", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--opt", "--lr", "--epochs", "--batch", "--momentum", "--weight-decay", "--sched", "--step-size", "--gamma", "--sched-unit", "--seed", "--device", "--data", "--out" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.Contains("(Default: 128)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Devices_lists_the_managed_cpu_backend()
    {
        var (code, output, _) = Run("devices");
        Assert.Equal(0, code);
        Assert.Contains("managed SIMD backend", output, StringComparison.Ordinal);
    }
}
