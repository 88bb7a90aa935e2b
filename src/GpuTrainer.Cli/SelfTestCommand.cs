using GpuTrainer.Compute;
using GpuTrainer.Diagnostics;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer selftest`: every backend operation on a device against the managed CPU backend.</summary>
public static class SelfTestCommand
{
    public static int Execute(SelfTestVerb v, TextWriter output) =>
        SelfTestRunner.Run(Backends.Parse(v.Device), CheckSizeNames.Parse(v.Size), v.Threads, output) == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
}
