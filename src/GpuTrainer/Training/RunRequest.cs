using GpuTrainer.Compute;

namespace GpuTrainer.Training;

/// <summary>
/// One training run as the CLI (or any program) asks for it: the recipe, the data, the device and where to write.
/// </summary>
/// <param name="Options">Optimizer, schedule, epochs, batch, seed.</param>
/// <param name="DataDirectory">An MNIST-format directory; null for the embedded sample (data/mnist-sample).</param>
/// <param name="Device">Which backend runs it.</param>
/// <param name="Threads">Threads for the managed CPU backend; 0 for every core.</param>
/// <param name="OutputDirectory">The run folder; it must not exist or must be empty.</param>
/// <param name="Description">How the schedule was asked for, for the log and summary (e.g. "step (size 1 epoch, gamma 0.5)").</param>
public sealed record RunRequest(
    TrainingOptions Options, string? DataDirectory, DeviceKind Device, int Threads, string OutputDirectory, string Description)
{
    /// <summary>The recipe <see cref="Options"/> was built from, kept in every checkpoint so `run --resume` can rebuild it; null when there is none.</summary>
    public Checkpoints.RunRecipe? Recipe { get; init; }
}
