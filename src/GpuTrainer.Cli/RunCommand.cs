using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer run`: turns the options into a <see cref="RunRequest"/> and hands it to the library.</summary>
public static class RunCommand
{
    public static int Execute(RunOptions o, TextWriter output)
    {
        var optimizer = Parsing.Optimizer(o.Optimizer);
        var lr = o.Lr ?? ReferenceStudy.DefaultLr(optimizer);
        var options = Parsing.Training(o, optimizer, lr, o.Epochs);
        var outDir = o.Out ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:yyyyMMdd-HHmmss}-{o.Optimizer}-{o.Schedule}"));
        var request = new RunRequest(options, o.Data, Backends.Parse(o.Device), o.Threads, outDir, Parsing.DescribeSchedule(o, lr));
        TrainingRun.Execute(request, output, progress: true);
        return ExitCodes.Ok;
    }
}
