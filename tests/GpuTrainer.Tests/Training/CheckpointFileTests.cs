using System.Buffers.Binary;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>The checkpoint file format: an exact round trip, and every damaged file refused with one sentence.</summary>
public sealed class CheckpointFileTests
{
    internal static Checkpoint Sample(int parameters = 1000, int seed = 3)
    {
        var random = new Random(seed);
        float[] Floats(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5))];
        var recipe = new RunRecipe(
            OptimizerKind.Sgd, 0.05, "multistep", new ScheduleOptions { Milestones = [2, 5], Gamma = 0.3, WarmupSteps = 1 }, ScheduleUnit.Batch,
            7, 16, 0.9, 1e-4, seed, "/data/somewhere", "lr 0.05, multistep per batch");
        var history = new List<EpochResult> { new(1, 0.5, 0.25, 0.875, 0.05, 1234.5, TimeSpan.FromTicks(123_456_789)) };
        MetricRow[] rows = [new("LR/train", 1, 0.05), new("Loss/train", 1, 2.302585092994046), new("Loss/test", 1, double.NaN), new("Accuracy/test", 1, 0.875)];
        return new Checkpoint(
            "LeNet-5", 28, 64, 32, 1, 4, seed, recipe, history, Floats(parameters), "sgd", new OptimizerState(4, [Floats(parameters)]), rows);
    }

    [Fact]
    public void A_checkpoint_reads_back_exactly_as_written()
    {
        using var temp = new TempDirectory();
        var original = Sample();
        var path = temp.File(RunCheckpoints.FileName(1));

        CheckpointFile.Write(path, original);
        var read = CheckpointFile.Read(path);

        Assert.Equal((original.Model, original.ImageSide, original.TrainImages, original.TestImages, original.Epoch, original.Step, original.Seed),
            (read.Model, read.ImageSide, read.TrainImages, read.TestImages, read.Epoch, read.Step, read.Seed));
        Assert.True(original.Recipe!.SameTrainingAs(read.Recipe!));
        Assert.Equal(original.Recipe.Epochs, read.Recipe!.Epochs);
        Assert.Equal(original.History, read.History);
        Assert.Equal(original.Parameters, read.Parameters);
        Assert.Equal((original.OptimizerName, original.Optimizer.Steps), (read.OptimizerName, read.Optimizer.Steps));
        Assert.Equal(original.Optimizer.Buffers[0], read.Optimizer.Buffers[0]);
        Assert.Equal(original.Metrics, read.Metrics);
        Assert.Equal(["checkpoint-epoch-0001.gtck"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_a_new_checkpoint_removes_the_older_ones_only_after_it_is_whole()
    {
        using var temp = new TempDirectory();
        RunCheckpoints.Save(temp.Path, Sample() with { Epoch = 1 });
        RunCheckpoints.Save(temp.Path, Sample() with { Epoch = 2 });

        Assert.Equal(temp.File("checkpoint-epoch-0002.gtck"), RunCheckpoints.Latest(temp.Path));
        Assert.Single(Directory.GetFiles(temp.Path));
        Assert.Equal(2, CheckpointFile.Read(RunCheckpoints.Find(temp.Path)).Epoch);
    }

    [Theory]
    [InlineData("truncated", "is truncated or padded")]
    [InlineData("header-only", "is truncated (")]
    [InlineData("flipped", "is damaged: its CRC-32C does not match")]
    [InlineData("version", "has format version 2; this GpuTrainer reads version 1")]
    [InlineData("foreign", "is not a GpuTrainer checkpoint")]
    public void A_damaged_checkpoint_is_refused_with_one_sentence(string damage, string fragment)
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.gtck");
        CheckpointFile.Write(path, Sample());
        var bytes = File.ReadAllBytes(path);
        bytes = damage switch
        {
            "truncated" => bytes[..^100],
            "header-only" => bytes[..12],
            "flipped" => Flip(bytes, bytes.Length / 2),
            "version" => Version(bytes, 2),
            _ => [.. "PK\u0003\u0004 not a checkpoint"u8],
        };
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        bytes[at] ^= 0x10;
        return bytes;
    }

    private static byte[] Version(byte[] bytes, uint version)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
        return bytes;
    }
}
