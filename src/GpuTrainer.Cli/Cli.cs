using CommandLine;
using CommandLine.Text;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.LrFinder;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>
/// Parses the verbs and maps every expected failure to one sentence on standard error and a distinct
/// exit code (<see cref="ExitCodes"/>); only a bug shows a stack trace.
/// </summary>
public static class Cli
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        using var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.CaseInsensitiveEnumValues = true;
            s.AutoVersion = false;
        });
        var parsed = parser.ParseArguments<RunOptions, DevicesOptions, LrFindOptions, StudyOptions, SelfTestOptions, GpuBenchOptions,
            StudyPlanOptions, StudyCellOptions, StudyReportOptions, StudySlurmOptions, StudyK8sOptions>(StudyVerbs.Join(args));
        return parsed.MapResult(
            (RunOptions o) => Guard(() => RunCommand.Execute(o, output), error),
            (DevicesOptions _) => Guard(() => DevicesCommand.Execute(output), error),
            (LrFindOptions o) => Guard(() => LrFindCommand.Execute(o, output), error),
            (StudyOptions o) => Guard(() => StudyCommand.Execute(o, output), error),
            (SelfTestOptions o) => Guard(() => SelfTestCommand.Execute(o, output), error),
            (GpuBenchOptions o) => Guard(() => GpuBenchCommand.Execute(o, output), error),
            (StudyPlanOptions o) => Guard(() => StudyPhaseCommands.Plan(o, output), error),
            (StudyCellOptions o) => Guard(() => StudyPhaseCommands.Cell(o, output), error),
            (StudyReportOptions o) => Guard(() => StudyPhaseCommands.Report(o, output), error),
            (StudySlurmOptions o) => Guard(() => StudyPhaseCommands.Slurm(o, output), error),
            (StudyK8sOptions o) => Guard(() => StudyPhaseCommands.Kubernetes(o, output), error),
            errors => Help(parsed, errors, output, error));
    }

    private static int Guard(Func<int> command, TextWriter error)
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
    }

    private static int? Classify(Exception e) => e switch
    {
        OptionsException or ArgumentException => ExitCodes.BadOptions,
        DataFormatException => ExitCodes.BadData,
        DeviceNotFoundException => ExitCodes.DeviceMissing,
        TrainingDivergedException => ExitCodes.Diverged,
        OutputExistsException => ExitCodes.OutputExists,
        LrBandException => ExitCodes.NoLearningRate,
        StudyIncompleteException => ExitCodes.StudyIncomplete,
        SchedulerException => ExitCodes.Unexpected,
        IOException or UnauthorizedAccessException => ExitCodes.BadData,
        _ => null,
    };

    private static int Help<T>(ParserResult<T> parsed, IEnumerable<Error> errors, TextWriter output, TextWriter error)
    {
        var list = errors.ToList();
        var helpOnly = list.All(e => e is HelpRequestedError or HelpVerbRequestedError or VersionRequestedError);
        var help = HelpText.AutoBuild(parsed, h =>
        {
            h.Heading = "gputrainer: train LeNet-5 with hand-written ILGPU kernels (or the managed CPU backend)";
            h.Copyright = "Exit codes: 0 ok, 2 bad options, 3 bad data, 4 device missing, 5 diverged, 6 output exists, 7 no learning-rate band, 8 self-test failed, 11 study incomplete.";
            h.AddDashesToOption = true;
            h.AdditionalNewLineAfterOption = false;
            h.MaximumDisplayWidth = 110;
            return HelpText.DefaultParsingErrorsHandler(parsed, h);
        }, e => e, verbsIndex: true);
        if (helpOnly)
        {
            output.WriteLine(help);
            return ExitCodes.Ok;
        }

        var first = list.FirstOrDefault(e => e is not HelpRequestedError);
        error.WriteLine($"gputrainer: {Describe(first)}");
        error.WriteLine("Run 'gputrainer --help' or 'gputrainer <verb> --help' for the options.");
        return ExitCodes.BadOptions;
    }

    private static string Describe(Error? e) => e switch
    {
        BadVerbSelectedError b => $"unknown verb '{b.Token}'.",
        NoVerbSelectedError => "no verb given; use run, lr-find, study, devices, selftest or gpubench.",
        UnknownOptionError u => $"unknown option '--{u.Token}'.",
        MissingRequiredOptionError m => $"option '--{m.NameInfo.LongName}' is required.",
        MissingValueOptionError m => $"option '--{m.NameInfo.LongName}' needs a value.",
        BadFormatConversionError f => $"option '--{f.NameInfo.LongName}' has a value of the wrong type.",
        RepeatedOptionError r => $"option '--{r.NameInfo.LongName}' is given more than once.",
        _ => $"the arguments could not be parsed ({e?.Tag}).",
    };
}
