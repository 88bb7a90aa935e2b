using BenchmarkDotNet.Running;
using GpuTrainer.Benchmarks.Groups;
using GpuTrainer.Benchmarks.Guard;
using GpuTrainer.Benchmarks.Paths;
using GpuTrainer.Benchmarks.Peak;
using GpuTrainer.Benchmarks.Profile;
using GpuTrainer.Benchmarks.Ptx;

// `guard ...` runs the throughput guard (see GuardCommand); `ptx DIR` writes every kernel's PTX (see PtxCommand);
// `groups ...` the grouped-study comparison (GroupStudyCommand); `paths` the CPU GEMM paths side by side (PathsCommand);
// `profile` a LeNet-5 step per operation (ProfileCommand); `peak` the machine's FP32 FMA peak (PeakCommand); anything else goes to BenchmarkDotNet's switcher,
// e.g. --filter '*Gemm*' or --list flat.
if (args.Length > 0 && args[0] == "guard")
{
    return GuardCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "ptx")
{
    return PtxCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "groups")
{
    return GroupStudyCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "profile")
{
    return ProfileCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "peak")
{
    return PeakCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "scaling")
{
    return GpuTrainer.Benchmarks.Scaling.ScalingCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "paths")
{
    return PathsCommand.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(GuardCommand).Assembly).Run(args);
return 0;
