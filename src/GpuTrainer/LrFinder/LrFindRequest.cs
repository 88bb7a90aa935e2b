using GpuTrainer.Compute;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>One LR range test as the CLI (or the study) asks for it.</summary>
/// <param name="Training">Optimizer, batch, momentum, weight decay and seed; its schedule and epochs are unused (the sweep sets the rate).</param>
/// <param name="Sweep">The sweep and how its curve is read.</param>
/// <param name="DataDirectory">An MNIST-format directory; null for the embedded sample.</param>
/// <param name="Device">Which backend runs it.</param>
/// <param name="Threads">Threads for the managed CPU backend; 0 for every core.</param>
/// <param name="OutputDirectory">The run folder; it must not exist or must be empty.</param>
public sealed record LrFindRequest(
    TrainingOptions Training, LrFinderOptions Sweep, string? DataDirectory, DeviceKind Device, int Threads, string OutputDirectory)
{
    /// <summary>A checkpoint (or a run folder holding one) whose parameters the sweep starts from; null for a fresh initialisation.</summary>
    public string? From { get; init; }
}
