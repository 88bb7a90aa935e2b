using CommandLine;

namespace GpuTrainer.Cli;

/// <summary>`gputrainer devices` takes no options.</summary>
[Verb("devices", HelpText = "List the devices GpuTrainer can use (name, memory, compute capability, warp size).")]
public sealed class DevicesVerb;
