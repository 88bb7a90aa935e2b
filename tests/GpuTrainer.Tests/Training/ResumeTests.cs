using GpuTrainer.Optim;
using System.Globalization;
using GpuTrainer.Cli;
using GpuTrainer.Tests.Cli;
using GpuTrainer.Compute;
using GpuTrainer.Schedules;
using GpuTrainer.Training;
using GpuTrainer.Training.Checkpoints;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>
/// Checkpoints and resume on the managed backend: an interrupted run, resumed, ends bit for bit as the run that was
/// never interrupted (metrics.csv byte for byte, parameters and optimizer state bit for bit); so does a finished run
/// extended by more epochs; bad checkpoints are refused with one sentence and exit code 3, nothing overwritten.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public ResumeTests() => _data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Recipes => ["sgd-momentum-multistep-per-batch", "adam-step-per-epoch"];

    private RunRecipe Recipe(string name, int epochs) => name switch
    {
        "sgd-momentum-multistep-per-batch" => new RunRecipe(
            OptimizerKind.Sgd, 0.05, "multistep", new ScheduleOptions { Milestones = [3, 6], Gamma = 0.5 }, ScheduleUnit.Batch,
            epochs, 16, 0.9, 1e-4, 5, _data, "multistep per batch"),
        _ => new RunRecipe(
            OptimizerKind.Adam, 0.003, "step", new ScheduleOptions { StepSize = 1, Gamma = 0.5 }, ScheduleUnit.Epoch,
            epochs, 16, 0, 0, 7, _data, "step per epoch"),
    };

    private RunRequest Request(RunRecipe recipe, string output) =>
        recipe.ToRequest() with { Device = DeviceKind.Cpu, Threads = 1, OutputDirectory = output };

    private static Checkpoint Final(string folder) => CheckpointFile.Read(RunCheckpoints.Find(folder));

    private static void AssertSameOutcome(string expected, string actual)
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(expected, TrainingRun.MetricsFile)), File.ReadAllBytes(Path.Combine(actual, TrainingRun.MetricsFile)));
        var (a, b) = (Final(expected), Final(actual));
        Assert.Equal((a.Epoch, a.Step), (b.Epoch, b.Step));
        Assert.Equal(a.Parameters, b.Parameters);   // float equality: bit for bit for finite values
        Assert.Equal(a.Optimizer.Steps, b.Optimizer.Steps);
        Assert.Equal(a.Optimizer.Buffers, b.Optimizer.Buffers);
        Assert.Equal(a.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate)), b.History.Select(e => (e.TrainLoss, e.TestLoss, e.TestAccuracy, e.LearningRate)));
    }

    [Theory]
    [MemberData(nameof(Recipes))]
    public void An_interrupted_run_resumed_ends_bit_for_bit_as_the_uninterrupted_one(string recipe)
    {
        var whole = _temp.File("whole");
        TrainingRun.Execute(Request(Recipe(recipe, 3), whole), TextWriter.Null);

        var cut = _temp.File("cut");
        using (var interrupt = new CancellationTokenSource())
        {
            interrupt.Cancel();   // as a Ctrl-C during the first epoch: it stops after that epoch's checkpoint
            var e = Assert.Throws<RunInterruptedException>(() => TrainingRun.Execute(Request(Recipe(recipe, 3), cut), TextWriter.Null, interrupt: interrupt.Token));
            Assert.Contains("Interrupted after epoch 1 of 3", e.Message, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(cut));
        Assert.Equal(1, Final(_temp.File(".cut.partial")).Epoch);

        var log = new StringWriter();
        TrainingRun.Resume(new ResumeRequest(cut, null, DeviceKind.Cpu, 1), log);

        Assert.Contains("resumed from checkpoint-epoch-0001.gtck after epoch 1", log.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File(".cut.partial")));
        AssertSameOutcome(whole, cut);
        Assert.Equal(["checkpoint-epoch-0003.gtck"], Directory.GetFiles(cut, "*.gtck").Select(Path.GetFileName));
    }

    [Fact]
    public void A_finished_run_extended_by_more_epochs_ends_as_the_longer_run()
    {
        var whole = _temp.File("whole");
        TrainingRun.Execute(Request(Recipe("adam-step-per-epoch", 3), whole), TextWriter.Null);
        var shorter = _temp.File("shorter");
        TrainingRun.Execute(Request(Recipe("adam-step-per-epoch", 2), shorter), TextWriter.Null);

        var again = Assert.Throws<ArgumentException>(() => TrainingRun.Resume(new ResumeRequest(shorter, 2, DeviceKind.Cpu, 1), TextWriter.Null));
        Assert.Contains("has trained 2 epochs; give --epochs above that", again.Message, StringComparison.Ordinal);

        TrainingRun.Resume(new ResumeRequest(shorter, 3, DeviceKind.Cpu, 1), TextWriter.Null);

        AssertSameOutcome(whole, shorter);
        Assert.Equal(3, RunJson.Read<RunSummary>(Path.Combine(shorter, TrainingRun.SummaryFile)).History.Count);
        Assert.Empty(Directory.GetDirectories(_temp.Path, ".*"));
    }

    [Fact]
    public void The_study_path_continues_an_interrupted_run_with_the_same_recipe_and_refuses_another()
    {
        var whole = _temp.File("whole");
        TrainingRun.Execute(Request(Recipe("adam-step-per-epoch", 3), whole), TextWriter.Null);
        var cut = _temp.File("cut");
        using (var interrupt = new CancellationTokenSource())
        {
            interrupt.Cancel();
            Assert.Throws<RunInterruptedException>(() => TrainingRun.Execute(Request(Recipe("adam-step-per-epoch", 3), cut), TextWriter.Null, interrupt: interrupt.Token));
        }

        var other = Recipe("adam-step-per-epoch", 3) with { Lr = 0.001 };
        var e = Assert.Throws<CheckpointException>(() => TrainingRun.Continue([Request(other, cut)], TextWriter.Null));
        Assert.Contains("another recipe", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, Final(_temp.File(".cut.partial")).Epoch);   // refused, nothing changed

        TrainingRun.Continue([Request(Recipe("adam-step-per-epoch", 3), cut)], TextWriter.Null);
        AssertSameOutcome(whole, cut);
    }

    private static (int Code, string Err) Cli(params string[] args)
    {
        var (code, _, error) = CliHarness.Run(args);
        return (code, error);
    }

    private string CliRun(string name, int epochs, params string[] extra)
    {
        var folder = _temp.File(name);
        var (code, error) = Cli(["run", "--data", _data, "--batch", "16", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--device", "cpu", "--threads", "1", "--out", folder, .. extra]);
        Assert.True(code == 0, error);
        return folder;
    }

    [Theory]
    [InlineData("truncated", "is truncated or padded")]
    [InlineData("other-model", "The checkpoint is of a model on 28x28 images with 1,000 parameters, but this run trains one on 28x28 images with 61,706 parameters.")]
    [InlineData("other-description", "The checkpoint is of another model (conv 32 kernel=3 stride=1 padding=1; relu; maxpool 2 stride=2;")]
    [InlineData("none", "holds a checkpoint to resume from")]
    public void Resume_refuses_a_bad_checkpoint_with_exit_code_3_and_overwrites_nothing(string damage, string fragment)
    {
        var folder = CliRun("run", 1);
        var checkpoint = Path.Combine(folder, RunCheckpoints.FileName(1));
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..^7]);
                break;
            case "other-model":
                var theirs = CheckpointFileTests.Sample() with { Recipe = Final(folder).Recipe, TrainImages = 64 };
                CheckpointFile.Write(checkpoint, theirs);
                break;
            case "other-description":
                CheckpointFile.Write(checkpoint, CheckpointFileTests.Sample() with { Model = GpuTrainer.Nn.ModelDescription.Resolve("cifar-cnn").Text, Recipe = Final(folder).Recipe, TrainImages = 64 });
                break;
            default:
                File.Delete(checkpoint);
                break;
        }

        var before = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllBytes(f))).ToList();

        var (code, error) = Cli("run", "--resume", folder, "--epochs", "2", "--device", "cpu");

        Assert.Equal(ExitCodes.BadData, code);
        Assert.StartsWith("gputrainer: ", error, StringComparison.Ordinal);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        var after = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllBytes(f))).ToList();
        Assert.Equal(before.Select(b => b.f), after.Select(a => a.f));
        Assert.All(before.Zip(after), p => Assert.Equal(p.First.Item2, p.Second.Item2));
        Assert.Empty(Directory.GetDirectories(_temp.Path, ".*"));
    }

    [Fact]
    public void The_cli_resumes_a_finished_run_with_more_epochs_as_the_longer_run()
    {
        var whole = CliRun("whole", 2, "--sched", "step", "--seed", "3");
        var shorter = CliRun("shorter", 1, "--sched", "step", "--seed", "3");

        var (code, error) = Cli("run", "--resume", shorter, "--epochs", "2", "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        AssertSameOutcome(whole, shorter);
    }

    [Fact]
    public void A_new_run_into_a_folder_whose_interrupted_run_has_a_checkpoint_is_refused_with_exit_code_6()
    {
        var folder = CliRun("run", 1);
        Directory.Move(folder, _temp.File(".again.partial"));

        var (code, error) = Cli("run", "--data", _data, "--batch", "16", "--epochs", "1", "--device", "cpu", "--out", _temp.File("again"));

        Assert.Equal(ExitCodes.OutputExists, code);
        Assert.Contains("holds an interrupted run with checkpoints; continue it with 'gputrainer run --resume", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_temp.File(".again.partial"), RunCheckpoints.FileName(1))));
    }

    [Theory]
    [InlineData("--threads|-2", "The number of CPU threads must be 0 (every core) or more, got -2.")]
    [InlineData("--batch|65", "The batch size 65 is larger than the 64 training images in")]
    [InlineData("--resume|x|--lr|0.1", "--resume continues a run with the recipe, data and folder stored in its checkpoint")]
    public void Impossible_options_are_one_sentence_and_exit_code_2(string args, string fragment)
    {
        var (code, error) = Cli(["run", "--data", _data, "--epochs", "1", "--device", "cpu", "--out", _temp.File("never"), .. args.Split('|')]);

        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(["data"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Lr_find_from_a_checkpoint_starts_from_the_trained_weights()
    {
        var trained = CliRun("trained", 3, "--opt", "adam", "--lr", "0.003");
        double FirstLoss(string name, params string[] extra)
        {
            var folder = _temp.File(name);
            var (code, error) = Cli(["lr-find", "--data", _data, "--batch", "16", "--steps", "10", "--start", "1e-7", "--end", "1e-6", "--device", "cpu", "--out", folder, .. extra]);
            Assert.True(code == 0 || code == ExitCodes.NoLearningRate, error);
            return double.Parse(File.ReadAllLines(Path.Combine(folder, "curve.csv"))[1].Split(',')[2], CultureInfo.InvariantCulture);
        }

        var fresh = FirstLoss("fresh");
        var fromTrained = FirstLoss("from", "--from", trained);

        Assert.True(fromTrained < 0.8 * fresh, $"first loss {fromTrained} from the checkpoint, {fresh} from scratch");
        Assert.Equal(3, Final(trained).Recipe!.Epochs);
    }
}
