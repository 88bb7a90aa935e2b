using CommandLine;
using GpuTrainer.Cli;
using GpuTrainer.Optim;
using GpuTrainer.Study;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>The reference study's recipe: the defaults of run and study, the --recipe switch, and the help that describes them.</summary>
public sealed class ReferenceRecipeCliTests
{
    private static T Parse<T>(params string[] args)
    {
        using var parser = new Parser(s => s.HelpWriter = null);
        return parser.ParseArguments<T>(args).Value;
    }

    [Fact]
    public void RunDefaultsToThirtyEpochsOfStepLrHalvingEvery500Batches()
    {
        var request = RunCommand.Request(Parse<RunVerb>());
        var options = request.Training(trainImages: 60_000);

        Assert.Equal((30, 128, ScheduleUnit.Batch), (options.Epochs, options.Batch, options.ScheduleUnit));
        const double lr = 0.0054723;
        Assert.Equal(
            [lr, lr, lr / 2, lr / 2, lr / 4],
            new long[] { 0, 499, 500, 999, 1000 }.Select(step => options.Schedule.LearningRate(step)));
        Assert.Equal("lr 0.0054723, step (size 500, gamma 0.5) per batch", request.Description);
        Assert.Equal(0.2161, RecipeDefaults.Lr(OptimizerKind.Sgd));
        Assert.Equal(request, new RunRequest { Device = request.Device });   // the library's defaults are the CLI's
    }

    [Fact]
    public void PerEpochStepLrStillHalvesEveryEpochByDefault()
    {
        var request = RunCommand.Request(Parse<RunVerb>("--sched-unit", "epoch", "--lr", "0.1"));
        var schedule = request.Training(trainImages: 1000).Schedule;
        Assert.Equal([0.1, 0.05, 0.025], new long[] { 0, 1, 2 }.Select(schedule.LearningRate));
    }

    [Fact]
    public void TheHelpNoLongerCallsPerEpochStepLrTheReferenceStudys()
    {
        // The help wraps its lines: compare with every run of white space as one space.
        static string Help(string verb) => string.Join(' ', CliHarness.Run(verb, "--help").Out.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        foreach (var verb in new[] { "run", "study" })
        {
            var text = Help(verb);
            Assert.DoesNotContain("once per epoch, as in the reference study", text, StringComparison.Ordinal);
            Assert.Contains("as the reference study's StepLR", text, StringComparison.Ordinal);
            Assert.Contains("Default 500 per batch", text, StringComparison.Ordinal);
        }

        Assert.Contains("Number of epochs. Default 30", Help("run"), StringComparison.Ordinal);
        Assert.Contains("(Default: 30) Epochs of every run.", Help("study"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--epochs", "10", "epochs 10 (reference: 30)")]
    [InlineData("--sched-unit", "epoch", "schedule stepped per epoch (reference: batch)")]
    [InlineData("--opt", "adam", "optimizers adam (reference: sgd, adam)")]
    [InlineData("--step-size", "100", "(reference: fixed, step (size 500, gamma 0.5))")]
    public void RecipeReferenceRefusesOptionsThatDepartFromIt(string option, string value, string named)
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliHarness.Run("study", "--recipe", "reference", option, value, "--device", "cpu", "--out", temp.File("study"));
        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.StartsWith("gputrainer: --recipe reference fixes the study's recipe", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("study")));
    }

    [Fact]
    public void AnUnknownRecipeIsRefused()
    {
        var (code, _, error) = CliHarness.Run("study", "--recipe", "mine", "--device", "cpu");
        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.Contains("Unknown --recipe 'mine'; use reference.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStudyDefaultsAreTheReferenceRecipe()
    {
        var request = StudyCommand.Request(Parse<StudyVerb>("--recipe", "reference"));
        Assert.Empty(ReferenceStudy.Differences(request));
        request.Validate();
        Assert.Empty(ReferenceStudy.Differences(new StudyRequest()));   // the library's defaults too
        Assert.Equal(
            ["batch 64 (reference: 128)", "candidates 3 (reference: 4)"],
            ReferenceStudy.Differences(request with { Batch = 64, Sweep = request.Sweep with { Candidates = 3 } }));
    }
}
