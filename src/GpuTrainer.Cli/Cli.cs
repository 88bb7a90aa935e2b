using System.Reflection;
using CommandLine;
using CommandLine.Text;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Data.Download;
using GpuTrainer.LrFinder;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>
/// Parses the verbs and maps every expected failure to one sentence on standard error and a distinct
/// exit code (<see cref="ExitCodes"/>); only a bug shows a stack trace (exit code 1).
/// </summary>
public static class Cli
{
    /// <summary>"0.1.0": the assembly's version (Directory.Build.props), without the source revision.</summary>
    public static string Version { get; } =
        (typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        using var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.CaseInsensitiveEnumValues = true;
            s.AutoVersion = true;
        });
        // -h is the usual short form of --help, at the top level and after a verb.
        var parsed = parser.ParseArguments<RunVerb, DevicesVerb, LrFindVerb, StudyVerb, SelfTestVerb, GpuBenchVerb, DataVerb,
            StudyPlanVerb, StudyCellVerb, StudyReportVerb, StudySlurmVerb, StudyK8sVerb, ModelsVerb>(StudyVerbs.Join(args.Select(a => a == "-h" ? "--help" : a).ToArray()));
        return parsed.MapResult(
            (RunVerb v) => WithExitCodes(() => RunCommand.Execute(v, output), error),
            (DevicesVerb _) => WithExitCodes(() => DevicesCommand.Execute(output), error),
            (LrFindVerb v) => WithExitCodes(() => LrFindCommand.Execute(v, output), error),
            (StudyVerb v) => WithExitCodes(() => StudyCommand.Execute(v, output), error),
            (SelfTestVerb v) => WithExitCodes(() => SelfTestCommand.Execute(v, output), error),
            (GpuBenchVerb v) => WithExitCodes(() => GpuBenchCommand.Execute(v, output), error),
            (DataVerb v) => WithExitCodes(() => DataCommand.Execute(v, output), error),
            (StudyPlanVerb v) => WithExitCodes(() => StudyPhaseCommands.Plan(v, output), error),
            (StudyCellVerb v) => WithExitCodes(() => StudyPhaseCommands.Cell(v, output), error),
            (StudyReportVerb v) => WithExitCodes(() => StudyPhaseCommands.Report(v, output), error),
            (StudySlurmVerb v) => WithExitCodes(() => StudyPhaseCommands.Slurm(v, output), error),
            (StudyK8sVerb v) => WithExitCodes(() => StudyPhaseCommands.Kubernetes(v, output), error),
            (ModelsVerb v) => WithExitCodes(() => ModelsCommand(v, output), error),
            errors => Help(parsed, errors, output, error));
    }

    // `gputrainer models`: the library's listing.
    private static int ModelsCommand(ModelsVerb v, TextWriter output)
    {
        new ModelListing(v.Data, v.Model).Write(output);
        return ExitCodes.Ok;
    }

    /// <summary>Runs a verb; an expected failure becomes one sentence on <paramref name="error"/> and its exit code.</summary>
    private static int WithExitCodes(Func<int> command, TextWriter error)
    {
        try
        {
            return command();
        }
        catch (Exception e) when (Classify(e) is { } code)
        {
            error.WriteLine($"gputrainer: {e.Message}");
            return code;
        }
        catch (Exception e)
        {
            error.WriteLine($"gputrainer: unexpected failure, please report it: {e}");
            return ExitCodes.Unexpected;
        }
    }

    private static int? Classify(Exception e) => e switch
    {
        ArgumentException => ExitCodes.BadOptions,   // OptionsException included
        DataFormatException => ExitCodes.BadData,
        DeviceNotFoundException => ExitCodes.DeviceMissing,
        TrainingDivergedException => ExitCodes.Diverged,
        OutputExistsException => ExitCodes.OutputExists,
        LrBandException => ExitCodes.NoLearningRate,
        RunInterruptedException => ExitCodes.Interrupted,
        DownloadFailedException => ExitCodes.DownloadFailed,
        ChecksumMismatchException => ExitCodes.ChecksumMismatch,
        StudyIncompleteException => ExitCodes.StudyIncomplete,
        SchedulerException => ExitCodes.SchedulerRefused,
        IOException or UnauthorizedAccessException => ExitCodes.BadData,
        _ => null,
    };

    private static int Help<T>(ParserResult<T> parsed, IEnumerable<Error> errors, TextWriter output, TextWriter error)
    {
        var list = errors.ToList();
        if (list.Any(e => e is VersionRequestedError))
        {
            output.WriteLine($"gputrainer {Version}");
            return ExitCodes.Ok;
        }

        var helpOnly = list.All(e => e is HelpRequestedError or HelpVerbRequestedError);
        var help = HelpText.AutoBuild(parsed, h =>
        {
            h.Heading = $"gputrainer {Version}: train LeNet-5 and other small CNNs with hand-written ILGPU kernels (or the managed CPU backend)";
            h.Copyright = "";
            h.AddPreOptionsLine("-h (or --help) after a verb lists its options with their defaults; --version prints the version.");
            h.AddDashesToOption = true;
            h.AdditionalNewLineAfterOption = false;
            h.MaximumDisplayWidth = 110;
            h.AddPostOptionsLine("Exit codes:");
            h.AddPostOptionsLines(ExitCodes.Meanings.Select(m => $"  {m.Code,3}  {m.Meaning}"));
            return HelpText.DefaultParsingErrorsHandler(parsed, h);
        }, e => e, verbsIndex: true);
        if (helpOnly)
        {
            output.WriteLine(help);
            return ExitCodes.Ok;
        }

        var first = list.FirstOrDefault(e => e is not HelpRequestedError);
        error.WriteLine($"gputrainer: {Describe(first)}");
        error.WriteLine("Run 'gputrainer --help' or 'gputrainer <verb> --help' (or -h) for the options.");
        return ExitCodes.BadOptions;
    }

    private static string Describe(Error? e) => e switch
    {
        BadVerbSelectedError b => $"unknown verb '{b.Token}'.",
        NoVerbSelectedError => "no verb given; use run, lr-find, study, models, data, devices, selftest or gpubench.",
        UnknownOptionError u => $"unknown option '--{u.Token}'.",
        MissingRequiredOptionError m => $"option '--{m.NameInfo.LongName}' is required.",
        MissingValueOptionError m => $"option '--{m.NameInfo.LongName}' needs a value.",
        BadFormatConversionError f => $"option '--{f.NameInfo.LongName}' has a value of the wrong type.",
        RepeatedOptionError r => $"option '--{r.NameInfo.LongName}' is given more than once.",
        _ => $"the arguments could not be parsed ({e?.Tag}).",
    };
}
