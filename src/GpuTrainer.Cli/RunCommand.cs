using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer run`: turns the options into a <see cref="RunRequest"/> and hands it to the library.</summary>
public static class RunCommand
{
    /// <summary>The reference study's best rates (SGD + StepLR, Adam + StepLR), used when --lr is not given.</summary>
    public const double DefaultSgdLr = 0.2161, DefaultAdamLr = 0.0054723;

    public static int Execute(RunOptions o, TextWriter output)
    {
        var optimizer = Parsing.Optimizer(o.Optimizer);
        var lr = o.Lr ?? (optimizer == OptimizerKind.Sgd ? DefaultSgdLr : DefaultAdamLr);
        var options = Parsing.Training(o, optimizer, lr, o.Epochs);
        var outDir = o.Out ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:yyyyMMdd-HHmmss}-{o.Optimizer}-{o.Schedule}"));
        var request = new RunRequest(options, o.Data, Backends.Parse(o.Device), o.Threads, outDir, Parsing.DescribeSchedule(o, lr));
        TrainingRun.Execute(request, output, progress: true);
        return ExitCodes.Ok;
    }
}
