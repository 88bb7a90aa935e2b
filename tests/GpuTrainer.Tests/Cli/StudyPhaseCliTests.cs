using GpuTrainer.Cli;
using GpuTrainer.Tests.Training;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>The study's phase verbs in-process: "study plan" and "study-plan" alike, exit 11 for an incomplete study, bad input.</summary>
public sealed class StudyPhaseCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PlanCellsAndReportByVerbEndWithExitCode11UntilEveryCellIsThere()
    {
        var data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);
        var folder = _temp.File("study");
        var plan = Run("study", "plan", "--opt", "sgd", "--sched", "fixed", "--epochs", "1", "--batch", "16", "--start", "1e-3", "--end", "10",
            "--steps", "100", "--smooth", "0.9", "--candidates", "2", "--device", "cpu", "--threads", "1", "--data", data, "--out", folder);
        Assert.True(plan.Code == 0, plan.Err);
        Assert.Contains("plan: 2 cells in 2 array tasks", plan.Out, StringComparison.Ordinal);

        var incomplete = Run("study", "report", "--out", folder);
        AssertOneSentence(incomplete, ExitCodes.StudyIncomplete, "incomplete: 2 of 2 cells are missing or failed");
        Assert.Equal(0, Run("study-report", "--out", folder, "--partial").Code);

        Assert.Equal(0, Run("study", "cell", "--index", "1", "--out", folder, "--device", "cpu", "--threads", "1").Code);
        var again = Run("study-cell", "--index", "1", "--out", folder, "--device", "cpu", "--threads", "1");
        Assert.Equal(0, again.Code);
        Assert.Contains("reused", again.Out, StringComparison.Ordinal);
        AssertOneSentence(Run("study", "report", "--out", folder), ExitCodes.StudyIncomplete, "1 of 2 cells");

        Assert.Equal(0, Run("study", "cell", "--index", "0", "--out", folder, "--device", "cpu", "--threads", "1").Code);
        var complete = Run("study", "report", "--out", folder);
        Assert.True(complete.Code == 0, complete.Err);
        Assert.Contains("report: 2 of 2 cells finished", complete.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void BadPhaseInputEndsWithOneSentenceAndItsExitCode()
    {
        AssertOneSentence(Run("study", "report", "--out", _temp.File("nothing")), ExitCodes.BadData, "holds no study plan");
        AssertOneSentence(Run("study", "cell", "--index", "0", "--out", _temp.File("nothing")), ExitCodes.BadData, "holds no study plan");
        AssertOneSentence(Run("study", "cell", "--index", "-2", "--out", _temp.File("nothing")), ExitCodes.BadOptions, "0 or more");
        AssertOneSentence(Run("study", "slurm", "--opt", "sgd"), ExitCodes.BadOptions, "needs --out");
        AssertOneSentence(Run("study", "k8s", "--image", "i", "--claim", "c", "--out", "/elsewhere/s"), ExitCodes.BadOptions, "inside the volume's mount path");
        AssertOneSentence(Run("study", "plan", "--study-json", _temp.File("none.json"), "--out", _temp.File("s")), ExitCodes.BadData, "does not exist");
        AssertOneSentence(Run("study-report"), ExitCodes.BadOptions, "option '--out' is required");
    }

    [Fact]
    public void StudyK8sWritesTheThreeManifests()
    {
        var dir = _temp.File("k8s");
        var result = Run("study", "k8s", "--image", "gt:1", "--claim", "pvc", "--out", "/study/a", "--manifests", dir, "--parallelism", "2");
        Assert.True(result.Code == 0, result.Err);
        Assert.Equal(["cells.yaml", "plan.yaml", "report.yaml"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("completions: 16", File.ReadAllText(Path.Combine(dir, "cells.yaml")), StringComparison.Ordinal);   // sgd,adam x fixed,step x 4
    }

    [Fact]
    public void APhaseWordAfterStudyIsItsVerbAndOtherWordsAreLeftAlone()
    {
        Assert.Equal(["study-cell", "--index", "3"], StudyVerbs.Join(["study", "cell", "--index", "3"]));
        Assert.Equal(["study", "--opt", "sgd"], StudyVerbs.Join(["study", "--opt", "sgd"]));
        Assert.Equal(["run", "plan"], StudyVerbs.Join(["run", "plan"]));
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private static void AssertOneSentence((int Code, string Out, string Err) result, int code, string fragment) =>
        CliTests.AssertOneSentenceError(result, code, fragment);
}
