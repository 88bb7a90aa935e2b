using BenchmarkDotNet.Running;
using GpuTrainer.Benchmarks.Guard;

// `guard ...` runs the throughput guard (see GuardCommand); anything else goes to BenchmarkDotNet's switcher,
// e.g. --filter '*Gemm*' or --list flat.
if (args.Length > 0 && args[0] == "guard")
{
    return GuardCommand.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(GuardCommand).Assembly).Run(args);
return 0;
