namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// What an <see cref="IlgpuBackend"/> has asked of its device: kernel launches and host synchronisations (points
/// where the host waits for the device). Subtract two readings to count the work in between.
/// </summary>
/// <param name="Launches">Kernels queued.</param>
/// <param name="Synchronizations">Host waits: downloads, synchronisations and uploads from pageable memory.</param>
public readonly record struct IlgpuCounters(long Launches, long Synchronizations)
{
    /// <summary>The work between two readings.</summary>
    public static IlgpuCounters operator -(IlgpuCounters later, IlgpuCounters earlier) =>
        new(later.Launches - earlier.Launches, later.Synchronizations - earlier.Synchronizations);
}
