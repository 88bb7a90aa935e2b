using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>
/// `gputrainer study`: turns the options into a <see cref="StudyRequest"/> and hands it to the library. The study verbs
/// accept an existing --out: they resume the study there.
/// </summary>
public static class StudyCommand
{
    public static int Execute(StudyOptions o, TextWriter output)
    {
        StudyRunner.Execute(Request(o), output, progress: true);
        return ExitCodes.Ok;
    }

    /// <summary>The study the recipe options describe, checked.</summary>
    public static StudyRequest Request(StudyArgs o)
    {
        var optimizers = List(o.Optimizers, "--opt").Select(Parsing.Optimizer).ToList();
        var schedules = List(o.Schedules, "--sched").Select(name => Schedule(name, o)).ToList();
        if ((o.StepSize is not null || o.Gamma is not null) && schedules.All(s => s.Name != "step"))
        {
            throw new OptionsException("--step-size and --gamma apply to the step schedule, which --sched does not include.");
        }

        var sweep = LrFindCommand.Sweep(o);
        if (o.Epochs < 1)
        {
            throw new OptionsException($"--epochs must be at least 1, got {o.Epochs}.");
        }

        var training = LrFindCommand.Training(o, optimizers[0], sweep) with { Epochs = o.Epochs };
        var outDir = o.Out ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"study-{DateTime.Now:yyyyMMdd-HHmmss}"));
        return new StudyRequest(optimizers, schedules, training, sweep, o.Data, Backends.Parse(o.Device), o.Threads, outDir);
    }

    private static List<string> List(string value, string option)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLowerInvariant()).ToList();
        return items.Count > 0 ? items : throw new OptionsException($"{option} needs at least one name.");
    }

    private static StudySchedule Schedule(string name, StudyArgs o) => new(
        name,
        name == "step"
            ? new ScheduleOptions { StepSize = o.StepSize ?? Parsing.DefaultStepSize, Gamma = o.Gamma ?? Parsing.DefaultStepGamma }
            : new ScheduleOptions());
}
