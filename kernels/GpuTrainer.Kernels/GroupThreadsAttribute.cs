namespace GpuTrainer.Kernels;

/// <summary>
/// Threads per group that an explicitly grouped kernel is always launched with, and optionally how many
/// groups must fit on one multiprocessor. The ILGPU backend compiles the kernel with both bounds (PTX
/// .maxntid / .minnctapersm, so ptxas caps registers to match); the static PTX report reads them too.
/// </summary>
/// <param name="threads">Threads per group.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class GroupThreadsAttribute(int threads) : Attribute
{
    /// <summary>Threads per group.</summary>
    public int Threads { get; } = threads;

    /// <summary>Groups that must be resident on one multiprocessor at once; 0 leaves it to ptxas.</summary>
    public int MinGroupsPerMultiprocessor { get; init; }
}
