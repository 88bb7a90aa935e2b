using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>
/// `gputrainer study`: turns the options into a <see cref="StudyRequest"/> and hands it to the library. The one verb
/// that accepts an existing --out: it resumes the study there.
/// </summary>
public static class StudyCommand
{
    public static int Execute(StudyOptions o, TextWriter output)
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

        var training = LrFindCommand.Training(o, optimizers[0], sweep) with { Epochs = o.Epochs, ScheduleUnit = Parsing.Unit(o.ScheduleUnit) };
        var outDir = o.Out ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"study-{DateTime.Now:yyyyMMdd-HHmmss}"));
        var request = new StudyRequest(optimizers, schedules, training, sweep, o.Data, Backends.Parse(o.Device), o.Threads, outDir);
        if (o.Recipe is { } recipe)
        {
            if (!recipe.Trim().Equals("reference", StringComparison.OrdinalIgnoreCase))
            {
                throw new OptionsException($"Unknown --recipe '{recipe}'; use reference.");
            }

            if (ReferenceStudy.Differences(request) is { Count: > 0 } differences)
            {
                throw new OptionsException($"--recipe reference fixes the study's recipe, but the options change it ({string.Join("; ", differences)}); drop them or --recipe.");
            }
        }

        StudyRunner.Execute(request, output, progress: true);
        return ExitCodes.Ok;
    }

    private static List<string> List(string value, string option)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLowerInvariant()).ToList();
        return items.Count > 0 ? items : throw new OptionsException($"{option} needs at least one name.");
    }

    private static StudySchedule Schedule(string name, StudyOptions o) => new(
        name,
        name == "step"
            ? new ScheduleOptions { StepSize = o.StepSize ?? Parsing.DefaultStepSize(Parsing.Unit(o.ScheduleUnit)), Gamma = o.Gamma ?? ReferenceStudy.StepGamma }
            : new ScheduleOptions());
}
