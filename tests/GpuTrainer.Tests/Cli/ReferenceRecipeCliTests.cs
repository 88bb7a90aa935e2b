using CommandLine;
using GpuTrainer.Cli;
using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>The reference study's recipe: the defaults of run and study, the --recipe switch, and the help that describes them.</summary>
public sealed class ReferenceRecipeCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GpuTrainer.Cli.Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void RunDefaultsToThirtyEpochsOfStepLrHalvingEvery500Batches()
    {
        using var parser = new Parser(s => s.HelpWriter = null);
        var o = parser.ParseArguments<RunOptions>([]).Value;
        var options = Parsing.Training(o, OptimizerKind.Adam, ReferenceStudy.DefaultLr(OptimizerKind.Adam), o.Epochs);

        Assert.Equal((30, 128, ScheduleUnit.Batch), (options.Epochs, options.Batch, options.ScheduleUnit));
        const double lr = 0.0054723;
        Assert.Equal(
            [lr, lr, lr / 2, lr / 2, lr / 4],
            new long[] { 0, 499, 500, 999, 1000 }.Select(step => options.Schedule.LearningRate(step)));
        Assert.Equal(0.2161, ReferenceStudy.DefaultLr(OptimizerKind.Sgd));
    }

    [Fact]
    public void PerEpochStepLrStillHalvesEveryEpochByDefault()
    {
        using var parser = new Parser(s => s.HelpWriter = null);
        var o = parser.ParseArguments<RunOptions>(["--sched-unit", "epoch"]).Value;
        var schedule = Parsing.Training(o, OptimizerKind.Sgd, 0.1, o.Epochs).Schedule;
        Assert.Equal([0.1, 0.05, 0.025], new long[] { 0, 1, 2 }.Select(schedule.LearningRate));
    }

    [Fact]
    public void TheHelpNoLongerCallsPerEpochStepLrTheReferenceStudys()
    {
        foreach (var verb in new[] { "run", "study" })
        {
            var help = Run(verb, "--help");
            var text = help.Out + help.Err;
            Assert.DoesNotContain("once per epoch, as in the reference study", text, StringComparison.Ordinal);
            Assert.Contains("as the reference study's StepLR", text, StringComparison.Ordinal);
            Assert.Contains("(Default: 30)", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--epochs", "10", "epochs 10 (reference: 30)")]
    [InlineData("--sched-unit", "epoch", "schedule stepped per epoch (reference: batch)")]
    [InlineData("--opt", "adam", "optimizers adam (reference: sgd, adam)")]
    [InlineData("--step-size", "100", "(reference: fixed, step (size 500, gamma 0.5))")]
    public void RecipeReferenceRefusesOptionsThatDepartFromIt(string option, string value, string named)
    {
        using var temp = new TempDirectory();
        var (code, _, error) = Run("study", "--recipe", "reference", option, value, "--device", "cpu", "--out", temp.File("study"));
        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.StartsWith("gputrainer: --recipe reference fixes the study's recipe", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("study")));
    }

    [Fact]
    public void AnUnknownRecipeIsRefused()
    {
        var (code, _, error) = Run("study", "--recipe", "mine", "--device", "cpu");
        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.Contains("Unknown --recipe 'mine'; use reference.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLibraryDefaultsAreTheReferenceRecipe()
    {
        var request = new StudyRequest(
            ReferenceStudy.Optimizers, ReferenceStudy.Schedules, new TrainingOptions { Schedule = new FixedLr(1) }, new LrFinderOptions(),
            null, DeviceKind.Cpu, 0, "unused");
        Assert.Empty(ReferenceStudy.Differences(request));
        Assert.Equal(
            ["batch 64 (reference: 128)", "candidates 3 (reference: 4)"],
            ReferenceStudy.Differences(request with { Training = request.Training with { Batch = 64 }, Sweep = request.Sweep with { Candidates = 3 } }));
    }
}
