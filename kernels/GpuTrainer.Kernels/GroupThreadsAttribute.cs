namespace GpuTrainer.Kernels;

/// <summary>
/// Threads per group that an explicitly grouped kernel is always launched with. The static PTX report
/// (scripts/ptx-report.sh) reads it to work out how many groups fit on one streaming multiprocessor.
/// </summary>
/// <param name="threads">Threads per group.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class GroupThreadsAttribute(int threads) : Attribute
{
    /// <summary>Threads per group.</summary>
    public int Threads { get; } = threads;
}
