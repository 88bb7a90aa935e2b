using BenchmarkDotNet.Running;
using GpuTrainer.Benchmarks.Groups;
using GpuTrainer.Benchmarks.Guard;

// `guard ...` runs the throughput guard (see GuardCommand), `groups ...` the grouped-study comparison
// (see GroupStudyCommand); anything else goes to BenchmarkDotNet's switcher,
// e.g. --filter '*Gemm*' or --list flat.
if (args.Length > 0 && args[0] == "guard")
{
    return GuardCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "groups")
{
    return GroupStudyCommand.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(GuardCommand).Assembly).Run(args);
return 0;
