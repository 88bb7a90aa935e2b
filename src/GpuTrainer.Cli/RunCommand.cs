using GpuTrainer.Compute;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer run`: turns the options into a <see cref="RunRequest"/> (or, with --resume, a <see cref="ResumeRequest"/>) and hands it to the library.</summary>
public static class RunCommand
{
    public static int Execute(RunVerb v, TextWriter output)
    {
        using var interrupt = new InterruptSignal();
        if (v.Resume is not null)
        {
            var resume = new ResumeRequest(v.Resume, v.Epochs, Backends.Parse(v.Device), v.Threads)
            {
                RecipeOptions = [.. new (string Name, bool Given)[] { ("--out", v.Out is not null), ("--lr", v.Lr is not null), ("--data", v.Data is not null), ("--model", v.Model is not null) }
                    .Where(o => o.Given).Select(o => o.Name)],
            };
            TrainingRun.Resume(resume, output, progress: true, interrupt.Token);
            return ExitCodes.Ok;
        }

        TrainingRun.Execute(Request(v), output, progress: true, interrupt.Token);
        return ExitCodes.Ok;
    }

    /// <summary>The request the options describe, with the library's defaults for what they leave unset; the library checks it.</summary>
    public static RunRequest Request(RunVerb v)
    {
        var unit = OptionNames.ScheduleUnit(v.ScheduleUnit);
        var request = v.Fill(new RunRequest
        {
            Optimizer = OptionNames.Optimizer(v.Optimizer),
            Lr = v.Lr,
            Schedule = RecipeDefaults.Schedule(v.Schedule, Options(v), unit),
            ScheduleUnit = unit,
        });
        return v.Epochs is { } epochs ? request with { Epochs = epochs } : request;
    }

    private static ScheduleOptions Options(RunVerb v) => new()
    {
        StepSize = v.StepSize,
        Gamma = v.Gamma,
        Milestones = v.Milestones?.ToList() is { Count: > 0 } m ? m : null,
        TMax = v.TMax,
        EtaMin = v.EtaMin,
        T0 = v.T0,
        TMult = v.TMult,
        Power = v.Power,
        TotalIters = v.TotalIters,
        PctStart = v.PctStart,
        Anneal = v.Anneal is null ? null : OptionNames.Anneal(v.Anneal),
        DivFactor = v.DivFactor,
        FinalDivFactor = v.FinalDivFactor,
        ThreePhase = v.ThreePhase ? true : null,
        WarmupSteps = v.Warmup,
        WarmupStartFactor = v.WarmupStart,
    };
}
