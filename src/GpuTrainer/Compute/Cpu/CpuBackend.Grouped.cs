namespace GpuTrainer.Compute.Cpu;

/// <summary>The grouped operations of the managed backend: the interface's per-model loops, spread over the threads.</summary>
public sealed partial class CpuBackend
{
    /// <summary>
    /// With at least as many models as threads, each model runs whole on one thread (its operations single-threaded,
    /// no forks inside them) and the threads share the models; with fewer, models run one after another, each split
    /// over every thread as a single-model operation is. Either way each model's operations do exactly the float
    /// operations of the single-model ones, since this backend's results do not depend on the thread count.
    /// </summary>
    public void ForEachModel(Action<int> body, params ReadOnlySpan<GroupTensor> views) =>
        _parallel.ForModels(GroupChecks.Models(views), body);
}
