using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer lr-find`: turns the options into an <see cref="LrFindRequest"/> and hands it to the library.</summary>
public static class LrFindCommand
{
    public static int Execute(LrFindOptions o, TextWriter output)
    {
        var optimizer = Parsing.Optimizer(o.Optimizer);
        var sweep = Sweep(o);
        var outDir = o.Out ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:yyyyMMdd-HHmmss}-lr-find-{o.Optimizer}"));
        var request = new LrFindRequest(Training(o, optimizer, sweep), sweep, o.Data, Backends.Parse(o.Device), o.Threads, outDir) { From = o.From };
        LrFinderRun.Execute(request, output, progress: true);
        return ExitCodes.Ok;
    }

    /// <summary>The sweep the options describe, validated.</summary>
    public static LrFinderOptions Sweep(SweepArgs o)
    {
        var sweep = new LrFinderOptions
        {
            Start = o.Start,
            End = o.End,
            Steps = o.Steps,
            Mode = o.Mode.Trim().ToLowerInvariant() switch
            {
                "exp" => LrSweepMode.Exponential,
                "linear" => LrSweepMode.Linear,
                _ => throw new OptionsException($"Unknown --mode '{o.Mode}'; use exp or linear."),
            },
            SmoothingBeta = o.Smooth,
            DivergenceFactor = o.Diverge,
            Candidates = o.Candidates,
        };
        sweep.Validate();
        return sweep;
    }

    /// <summary>The model and optimizer settings of a range test (the sweep sets the rate; the schedule is a placeholder).</summary>
    public static TrainingOptions Training(TrainOptions o, OptimizerKind optimizer, LrFinderOptions sweep)
    {
        if (o.Batch < 1)
        {
            throw new OptionsException($"--batch must be at least 1, got {o.Batch}.");
        }

        return new TrainingOptions
        {
            Optimizer = optimizer,
            Schedule = new FixedLr(sweep.Start),
            Batch = o.Batch,
            Momentum = o.Momentum,
            WeightDecay = o.WeightDecay,
            Seed = o.Seed,
        };
    }
}
