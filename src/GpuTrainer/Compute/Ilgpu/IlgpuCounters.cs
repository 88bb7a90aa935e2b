namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// What an <see cref="IlgpuBackend"/> has asked of its device: kernel launches, host synchronisations (points
/// where the host waits for the device) and the bytes ILGPU's launch calls allocated on the queuing thread. Subtract
/// two readings to count the work in between.
/// </summary>
/// <param name="Launches">Kernels queued.</param>
/// <param name="Synchronizations">Host waits: downloads, synchronisations and uploads from pageable memory.</param>
/// <param name="LaunchBytes">
/// Bytes allocated inside ILGPU's launch calls (LaunchMeter): the CPU accelerator's task objects, none on CUDA.
/// </param>
public readonly record struct IlgpuCounters(long Launches, long Synchronizations, long LaunchBytes)
{
    /// <summary>The work between two readings.</summary>
    public static IlgpuCounters operator -(IlgpuCounters later, IlgpuCounters earlier) =>
        new(later.Launches - earlier.Launches, later.Synchronizations - earlier.Synchronizations, later.LaunchBytes - earlier.LaunchBytes);
}
