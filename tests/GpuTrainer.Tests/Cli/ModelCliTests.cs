using GpuTrainer.Cli;
using GpuTrainer.Nn;
using GpuTrainer.Study;
using GpuTrainer.Tests.Training;
using GpuTrainer.Training.Checkpoints;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>--model on the training verbs and the models verb: a described model trains, is stored and is refused elsewhere.</summary>
public sealed class ModelCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Models_lists_the_presets_with_parameters_flops_and_shapes()
    {
        var (code, output, error) = CliTests.Run("models");

        Assert.True(code == 0, error);
        Assert.Contains("(1,28,28) images, 10 classes", output, StringComparison.Ordinal);
        Assert.Contains("lenet5 (LeNet-5): 61,706 parameters, 0.85 MFLOP per image", output, StringComparison.Ordinal);
        Assert.Contains("cifar-cnn (CIFAR CNN): 824,458 parameters", output, StringComparison.Ordinal);
        Assert.Contains("linear 256                               (256,1,1)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "conc 6; linear 10", "is an unknown layer")]
    [InlineData("run", "conv 6 kernal=3; linear 10", "has an unknown argument 'kernal'")]
    [InlineData("run", "nosuch", "Unknown model 'nosuch'")]
    [InlineData("run", "conv 4 3; flatten; linear 12", "gives 12 outputs, but the data has 10 classes")]
    [InlineData("run", "conv 4 kernel=29; linear 10", "would shrink the image below 1x1")]
    [InlineData("lr-find", "conv 4 kernel=29; linear 10", "would shrink the image below 1x1")]
    [InlineData("study", "conc 6; linear 10", "is an unknown layer")]
    [InlineData("study-plan", "linear 12", "gives 12 outputs")]
    public void A_bad_model_is_one_sentence_exit_code_2_and_nothing_written(string verb, string model, string fragment)
    {
        var outDir = _temp.File("out");
        CliTests.AssertOneSentenceError(
            CliTests.Run([verb, "--model", model, .. verb == "lr-find" ? new[] { "--steps", "20" } : ["--epochs", "1"], "--device", "cpu", "--out", outDir]), ExitCodes.BadOptions, fragment);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_model_too_large_for_memory_is_refused_before_anything_is_written()
    {
        var outDir = _temp.File("out");
        CliTests.AssertOneSentenceError(
            CliTests.Run("run", "--model", "conv 4096 kernel=3 padding=1; relu; conv 4096 kernel=3 padding=1; flatten; linear 10", "--batch", "8000", "--epochs", "1", "--device", "cpu", "--out", outDir),
            ExitCodes.BadOptions, "use a smaller --batch or model");
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_described_model_trains_is_stored_in_its_checkpoint_and_is_refused_by_resume_lr_find_and_another_study()
    {
        var data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);
        var run = _temp.File("run");
        const string model = "conv 4 3 stride=2 padding=1; relu; avgpool 2; flatten; linear 10";
        var (code, output, error) = CliTests.Run("run", "--model", model, "--data", data, "--batch", "16", "--epochs", "1", "--device", "cpu", "--threads", "1", "--out", run);

        Assert.True(code == 0, error);
        Assert.Contains("model (", output, StringComparison.Ordinal);
        var checkpoint = CheckpointFile.Read(Directory.GetFiles(run, "*.gtck").Single());
        Assert.Equal("conv 4 kernel=3 stride=2 padding=1; relu; avgpool 2 stride=2; flatten; linear 10", checkpoint.Model);
        Assert.Equal(checkpoint.Model, checkpoint.Recipe!.Model);
        Assert.Equal((36 + 4) + (4 * 7 * 7 * 10) + 10, checkpoint.Parameters.Length);

        // --resume takes the model from the checkpoint: a --model beside it is refused.
        CliTests.AssertOneSentenceError(CliTests.Run("run", "--resume", run, "--model", "lenet5", "--epochs", "2"), ExitCodes.BadOptions, "not --model");
        var (resumed, _, resumeError) = CliTests.Run("run", "--resume", run, "--epochs", "2", "--device", "cpu", "--threads", "1");
        Assert.True(resumed == 0, resumeError);

        // lr-find --from a checkpoint of another model than its own (lenet5 by default): exit 3, no folder.
        var sweep = _temp.File("sweep");
        CliTests.AssertOneSentenceError(
            CliTests.Run("lr-find", "--from", run, "--data", data, "--batch", "16", "--steps", "20", "--device", "cpu", "--out", sweep), ExitCodes.BadData, "of another model");
        Assert.False(Directory.Exists(sweep));

        // A study folder pinned to one model refuses another.
        var study = _temp.File("study");
        StudyPlanner.Pin(new StudyRequest { Model = model, OutputDirectory = study });
        var e = Assert.ThrowsAny<ArgumentException>(() => StudyPlanner.Pin(new StudyRequest { Model = "lenet5", OutputDirectory = study }));
        Assert.Contains("holds a study of another model", e.Message, StringComparison.Ordinal);
        StudyPlanner.Pin(new StudyRequest { Model = ModelDescription.Resolve(model).Text, OutputDirectory = study });
    }

    [Fact]
    public void The_cifar_preset_trains_on_cifar_format_files_and_a_bad_batch_is_exit_code_3_with_nothing_written()
    {
        var data = Tests.Data.CifarFiles.Write(_temp.File("cifar"), perBatch: 8, test: 8);
        var run = _temp.File("run");
        var (code, output, error) = CliTests.Run("run", "--model", "cifar-cnn", "--data", data, "--batch", "8", "--epochs", "1", "--device", "cpu", "--out", run);

        Assert.True(code == 0, error);
        Assert.Contains("CIFAR CNN (1,070,794 parameters)", output, StringComparison.Ordinal);
        Assert.Contains("40 train / 8 test images", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "summary.json")));

        // LeNet-5 (the default) takes CIFAR's 3 channels too: its first conv reads them.
        var (lenet, lenetOutput, lenetError) = CliTests.Run("run", "--data", data, "--batch", "8", "--epochs", "1", "--device", "cpu", "--out", _temp.File("lenet"));
        Assert.True(lenet == 0, lenetError);
        Assert.Contains("LeNet-5 (83,126 parameters)", lenetOutput, StringComparison.Ordinal);

        File.WriteAllBytes(Path.Combine(data, "test_batch.bin"), File.ReadAllBytes(Path.Combine(data, "test_batch.bin"))[..^1]);
        var bad = _temp.File("bad");
        CliTests.AssertOneSentenceError(
            CliTests.Run("run", "--model", "cifar-cnn", "--data", data, "--batch", "8", "--epochs", "1", "--device", "cpu", "--out", bad), ExitCodes.BadData, "test_batch.bin is truncated or padded");
        Assert.False(Directory.Exists(bad));
    }

    [Fact]
    public void The_cluster_emitters_pin_the_model_in_the_recipe_the_plan_job_reads()
    {
        var dir = _temp.File("k8s");
        var result = CliTests.Run("study", "k8s", "--model", "cifar-cnn", "--image", "gt:1", "--claim", "pvc", "--out", "/study/a", "--manifests", dir);
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains(ModelDescription.Resolve("cifar-cnn").Text, File.ReadAllText(Path.Combine(dir, "plan.yaml")), StringComparison.Ordinal);

        var slurm = _temp.File("slurm");
        var emitted = CliTests.Run("study", "slurm", "--model", "conv 4 3; relu; flatten; linear 10", "--out", slurm);
        Assert.True(emitted.Code == 0, emitted.Err);
        var plan = StudyPlanner.FromPlanFile(Path.Combine(slurm, "study.json"), GpuTrainer.Compute.DeviceKind.Cpu, 1, slurm);
        Assert.Equal("conv 4 kernel=3 stride=1 padding=0; relu; flatten; linear 10", plan.Model);
        var json = File.ReadAllText(Path.Combine(slurm, "study.json"));
        Assert.Contains("\"model\": \"conv 4 kernel=3", json, StringComparison.Ordinal);
        Assert.DoesNotContain("modelText", json, StringComparison.Ordinal);
    }
}
