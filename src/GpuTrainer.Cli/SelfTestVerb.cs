using CommandLine;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer selftest`'s options.</summary>
[Verb("selftest", HelpText = "Check every kernel on a device against the managed CPU backend (full: GEMM 512x384x640, LeNet-5 at batch 128, 1M-parameter optimizers) and print one line per kernel; exit 8 if any fails.")]
public sealed class SelfTestVerb : CheckArgs;
