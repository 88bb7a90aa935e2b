using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer lr-find`: turns the options into an <see cref="LrFindRequest"/> and hands it to the library.</summary>
public static class LrFindCommand
{
    public static int Execute(LrFindVerb v, TextWriter output)
    {
        var request = v.Fill(new LrFindRequest { Optimizer = OptionNames.Optimizer(v.Optimizer), Sweep = v.Sweep(), From = v.From });
        LrFindRun.Execute([request], output, progress: true);
        return ExitCodes.Ok;
    }
}
