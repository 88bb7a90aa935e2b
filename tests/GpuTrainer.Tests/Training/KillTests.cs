using GpuTrainer.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GpuTrainer.Cli;
using GpuTrainer.Tests.Cli;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>
/// A real `gputrainer run` as a child process (the built CLI through `dotnet`), killed with SIGKILL in the middle of
/// an epoch, then resumed: at most one epoch is lost and the outcome is the uninterrupted run's, bit for bit. And
/// SIGINT (Ctrl-C): exit code 130 after a checkpoint.
/// </summary>
public sealed partial class KillTests : IDisposable
{
    private const int Epochs = 3, TrainImages = 2000, Batch = 32;
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public KillTests() => _data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName, train: TrainImages, test: 100);

    public void Dispose() => _temp.Dispose();

    private string[] RunArgs(string folder, int epochs = Epochs) =>
        ["run", "--data", _data, "--batch", Batch.ToString(CultureInfo.InvariantCulture), "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--opt", "sgd", "--lr", "0.02", "--momentum", "0.9",
         "--sched", "step", "--seed", "11", "--device", "cpu", "--threads", "1", "--out", folder];

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GpuTrainer.Cli.dll"));
        args.ToList().ForEach(start.ArgumentList.Add);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Reads the child's output until its first epoch line.</summary>
    private static void WaitForFirstEpoch(Process child)
    {
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (EpochLine().IsMatch(line))
            {
                return;
            }
        }

        throw new InvalidOperationException($"The run ended before its first epoch: {child.StandardError.ReadToEnd()}");
    }

    /// <summary>Waits (at most a minute) until the run folder holds a checkpoint, while the child still runs.</summary>
    private static void WaitForCheckpoint(string folder, Process child)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(folder, RunCheckpoints.FileName(1))))
        {
            Assert.False(child.HasExited, "the run ended before its first checkpoint");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "no checkpoint after a minute");
            Thread.Sleep(5);
        }
    }

    private static void Finish(Process child)
    {
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(3)), "the child process did not end");
    }

    [Fact]
    public void A_run_killed_mid_epoch_resumes_losing_at_most_one_epoch_and_ends_bit_for_bit_as_the_uninterrupted_run()
    {
        var whole = _temp.File("whole");
        var (code, _, error) = CliHarness.Run(RunArgs(whole));
        Assert.True(code == 0, error);

        var killed = _temp.File("killed");
        var partial = _temp.File(".killed.partial");
        using (var child = Start(RunArgs(killed)))
        {
            WaitForFirstEpoch(child);
            WaitForCheckpoint(partial, child);   // the epoch's line can come before its checkpoint is on disk
            child.Kill();   // SIGKILL, within milliseconds of the checkpoint: in the second epoch (the first one's time, JIT
                            // and all, says nothing of the second's); no handler runs
            Finish(child);
        }

        Assert.False(Directory.Exists(killed));
        var saved = CheckpointFile.Read(RunCheckpoints.Find(partial)).Epoch;
        Assert.InRange(saved, 1, Epochs - 1);
        // Batches the killed process had logged past its checkpoint: work of the one epoch lost.
        var logged = File.ReadLines(Path.Combine(partial, TrainingRun.MetricsFile + ".partial")).Count(l => l.StartsWith("Loss/train,", StringComparison.Ordinal));
        Assert.InRange(logged, 0, (saved + 1) * BatchLoader.CountBatches(TrainImages, Batch));

        using (var child = Start("run", "--resume", killed, "--device", "cpu", "--threads", "1"))
        {
            var output = child.StandardOutput.ReadToEnd();
            Finish(child);
            Assert.True(child.ExitCode == 0, child.StandardError.ReadToEnd());
            Assert.Contains($"resumed from {RunCheckpoints.FileName(saved)} after epoch {saved}", output, StringComparison.Ordinal);
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, TrainingRun.MetricsFile)), File.ReadAllBytes(Path.Combine(killed, TrainingRun.MetricsFile)));
        var (a, b) = (CheckpointFile.Read(RunCheckpoints.Find(whole)), CheckpointFile.Read(RunCheckpoints.Find(killed)));
        Assert.Equal(Epochs, b.Epoch);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Optimizer.Buffers, b.Optimizer.Buffers);
    }

    [InterruptibleFact]
    public void Ctrl_c_stops_at_the_next_checkpoint_with_exit_code_130()
    {
        // Far more epochs than the signal needs to arrive in, so that a fast run cannot finish (exit 0) before it lands.
        const int epochs = 60;
        var folder = _temp.File("interrupted");
        using var child = Start(RunArgs(folder, epochs));
        WaitForFirstEpoch(child);
        using (var kill = Process.Start("kill", ["-INT", child.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        var error = child.StandardError.ReadToEnd();
        Finish(child);

        Assert.Equal(ExitCodes.Interrupted, child.ExitCode);
        Assert.Contains("gputrainer: Interrupted after epoch", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
        // The signal came after epoch 1's line: the run stops at the checkpoint after the epoch in which it arrived.
        Assert.InRange(CheckpointFile.Read(RunCheckpoints.Find(_temp.File(".interrupted.partial"))).Epoch, 1, epochs - 1);
    }

    [GeneratedRegex(@"^epoch\s+1/\d+ .* [0-9.]+ s$")]
    private static partial Regex EpochLine();
}
