using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer run`: turns the options into a <see cref="RunRequest"/> (or, with --resume, a <see cref="ResumeRequest"/>) and hands it to the library.</summary>
public static class RunCommand
{
    /// <summary>The reference study's best rates (SGD + StepLR, Adam + StepLR), used when --lr is not given.</summary>
    public const double DefaultSgdLr = 0.2161, DefaultAdamLr = 0.0054723;

    /// <summary>Epochs when --epochs is not given.</summary>
    public const int DefaultEpochs = 15;

    public static int Execute(RunOptions o, TextWriter output)
    {
        using var interrupt = new InterruptSignal();
        if (o.Resume is not null)
        {
            if (o.Out is not null || o.Lr is not null || o.Data is not null)
            {
                throw new OptionsException("--resume continues a run with the recipe, data and folder stored in its checkpoint; only --epochs, --device and --threads may go with it.");
            }

            TrainingRun.Resume(new ResumeRequest(o.Resume, o.Epochs, Backends.Parse(o.Device), o.Threads), output, progress: true, interrupt.Token);
            return ExitCodes.Ok;
        }

        var optimizer = Parsing.Optimizer(o.Optimizer);
        var lr = o.Lr ?? (optimizer == OptimizerKind.Sgd ? DefaultSgdLr : DefaultAdamLr);
        var recipe = Parsing.Recipe(o, optimizer, lr, o.Epochs ?? DefaultEpochs);
        var outDir = o.Out ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:yyyyMMdd-HHmmss}-{o.Optimizer}-{o.Schedule}"));
        var request = new RunRequest(Parsing.Training(recipe, o), o.Data, Backends.Parse(o.Device), o.Threads, outDir, recipe.Description) { Recipe = recipe };
        TrainingRun.Execute(request, output, progress: true, interrupt.Token);
        return ExitCodes.Ok;
    }
}
