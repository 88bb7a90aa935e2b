using GpuTrainer.Compute;

namespace GpuTrainer.Training;

/// <summary>Continuing a run from its latest checkpoint (`gputrainer run --resume DIR`); the recipe comes from the checkpoint.</summary>
/// <param name="Directory">The run folder (its final name or its ".name.partial" folder).</param>
/// <param name="Epochs">Epochs of the whole run; null keeps the recipe's, more extends a finished run.</param>
/// <param name="Device">Which backend continues it.</param>
/// <param name="Threads">Threads for the managed CPU backend; 0 for every core.</param>
public sealed record ResumeRequest(string Directory, int? Epochs, DeviceKind Device, int Threads);
