using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>
/// `gputrainer study`: turns the options into a <see cref="StudyRequest"/> and hands it to the library. The one verb
/// that accepts an existing --out: it resumes the study there.
/// </summary>
public static class StudyCommand
{
    public static int Execute(StudyVerb v, TextWriter output)
    {
        var request = v.Fill(new StudyRequest
        {
            Optimizers = [.. OptionNames.List(v.Optimizers, "--opt").Select(OptionNames.Optimizer)],
            Schedules = StudyRequest.ScheduleGrid(v.Schedules, v.StepSize, v.Gamma),
            Epochs = v.Epochs,
            Sweep = v.Sweep(),
        });
        StudyRunner.Execute(request, output, progress: true);
        return ExitCodes.Ok;
    }
}
