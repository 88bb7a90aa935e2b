using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using CommandLine;
using GpuTrainer.Cli;
using GpuTrainer.Schedules;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Cli;

/// <summary>One recipe, seen from the command line: every option is checked before any setup, and the help reads the library's defaults.</summary>
public sealed class RecipeCliTests
{
    [Theory]
    [InlineData("--momentum", "2", "--momentum must be in [0, 1), got 2.")]
    [InlineData("--momentum", "1", "--momentum must be in [0, 1), got 1.")]
    [InlineData("--weight-decay", "1.5", "--weight-decay must be in [0, 1], got 1.5.")]
    [InlineData("--warmup-start", "0.5", "WarmupStartFactor applies only with WarmupSteps of at least 1.")]
    [InlineData("--pct-start", "0.5", "PctStart does not apply to the 'step' schedule")]
    public void A_refused_option_prints_no_setup_line_and_exits_2(string option, string value, string sentence)
    {
        using var temp = new TempDirectory();

        var (code, output, error) = CliHarness.Run("run", "--opt", "sgd", option, value, "--device", "cpu", "--out", temp.File("run"));

        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.Equal("", output);   // no "LeNet-5 ... on", "data ...", recipe line: nothing was loaded or built
        Assert.StartsWith($"gputrainer: {sentence}", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void A_per_batch_schedule_option_out_of_range_is_refused_before_the_data()
    {
        // Per batch the run's length needs the data; the ranges of the options do not.
        var (code, output, error) = CliHarness.Run("run", "--sched", "step", "--sched-unit", "batch", "--gamma", "1.5", "--data", "/nowhere", "--device", "cpu");

        Assert.Equal(ExitCodes.BadOptions, code);
        Assert.Equal("", output);
        Assert.StartsWith("gputrainer: gamma must be in (0, 1], got 1.5.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--momentum", "2")]                 // refused by the check, before anything is read
    [InlineData("--batch", "100000")]               // refused once the data is known: the folders made by then go again
    public async Task A_refused_run_leaves_no_runs_folder_in_the_working_directory(string option, string value)
    {
        using var temp = new TempDirectory();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = temp.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "GpuTrainer.Cli.dll"), "run", "--opt", "sgd", option, value, "--epochs", "1", "--device", "cpu" })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var (output, error) = (child.StandardOutput.ReadToEndAsync(), child.StandardError.ReadToEndAsync());
        await child.WaitForExitAsync();

        Assert.True(child.ExitCode == ExitCodes.BadOptions, await output + await error);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void The_help_states_the_librarys_defaults()
    {
        var c = CultureInfo.InvariantCulture;
        var run = Help("run");
        Assert.Contains(string.Create(c, $"(default {ScheduleFactory.StepGamma} for step, {ScheduleFactory.MultiStepGamma} for multistep)"), run, StringComparison.Ordinal);
        Assert.Contains(string.Create(c, $"Default {RecipeDefaults.StepSizeInBatches} per batch"), run, StringComparison.Ordinal);
        Assert.Contains(string.Create(c, $"{RecipeDefaults.SgdLr} for sgd and {RecipeDefaults.AdamLr} for adam/adamw"), run, StringComparison.Ordinal);
        Assert.Contains(string.Create(c, $"Number of epochs. Default {RecipeDefaults.Epochs}"), run, StringComparison.Ordinal);
        Assert.Contains(string.Create(c, $"step: decay factor. Default {ScheduleFactory.StepGamma}."), Help("study"), StringComparison.Ordinal);
        Assert.Contains(string.Create(c, $"(Default: {RecipeDefaults.SweepSteps})"), Help("lr-find"), StringComparison.Ordinal);
        Assert.Contains($"Default {new GpuTrainer.Study.SlurmRequest(new GpuTrainer.Study.StudyRequest()).Time}.", Help("study-slurm"), StringComparison.Ordinal);
    }

    /// <summary>A default stated in words is a copy that drifts: an option whose text states one takes it from <see cref="HelpTexts"/>.</summary>
    [Fact]
    public void No_help_text_states_a_default_number_of_its_own()
    {
        var options = typeof(GpuTrainer.Cli.Cli).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(p => (p.Name, Option: p.GetCustomAttribute<OptionAttribute>())).Where(o => o.Option is not null).ToList();

        Assert.True(options.Count > 60, $"only {options.Count} options found");
        var stated = options.Where(o => o.Option!.ResourceType is null && Regex.IsMatch(o.Option.HelpText, @"(?i)\bdefault\b[^.;]*\d")).Select(o => o.Name);
        Assert.Empty(stated);
        Assert.True(options.Count(o => o.Option!.ResourceType == typeof(HelpTexts)) >= 30);   // the texts with numbers, written from the library
    }

    [Theory]
    [InlineData("Schedules")]
    [InlineData("Training")]
    public void Lower_layers_import_nothing_from_the_study(string folder)
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "GpuTrainer", folder), "*.cs", SearchOption.AllDirectories);

        Assert.NotEmpty(files);
        Assert.DoesNotContain(files, f => File.ReadAllText(f).Contains("Study.", StringComparison.Ordinal) || File.ReadAllText(f).Contains("using GpuTrainer.Study", StringComparison.Ordinal));
    }

    // The help wraps its lines: compare with every run of white space as one space.
    private static string Help(string verb) => string.Join(' ', CliHarness.Run(verb, "--help").Out.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
