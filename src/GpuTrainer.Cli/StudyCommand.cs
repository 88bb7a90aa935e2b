using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>
/// `gputrainer study`: turns the options into a <see cref="StudyRequest"/> and hands it to the library. The study verbs
/// accept an existing --out: they resume the study there.
/// </summary>
public static class StudyCommand
{
    public static int Execute(StudyVerb v, TextWriter output)
    {
        StudyRunner.Execute(Request(v), output, progress: true);
        return ExitCodes.Ok;
    }

    /// <summary>The study the recipe options describe (the library checks it).</summary>
    public static StudyRequest Request(StudyArgs v)
    {
        var unit = OptionNames.ScheduleUnit(v.ScheduleUnit);
        return v.Fill(new StudyRequest
        {
            Optimizers = [.. OptionNames.List(v.Optimizers, "--opt").Select(OptionNames.Optimizer)],
            Schedules = StudyRequest.ScheduleGrid(v.Schedules, v.StepSize, v.Gamma, unit),
            ScheduleUnit = unit,
            Epochs = v.Epochs,
            Sweep = v.Sweep(),
            RecipeName = v.Recipe,
            Parallel = v.Parallel,
        });
    }
}
