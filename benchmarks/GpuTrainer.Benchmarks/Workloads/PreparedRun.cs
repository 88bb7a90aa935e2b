using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>A workload bound to a backend with its operands allocated: <see cref="Run"/> executes it once and waits.</summary>
public sealed class PreparedRun : IDisposable
{
    private readonly IBackend _backend;
    private readonly Action _run;
    private readonly Func<float[]> _result;
    private readonly IDisposable _owned;

    /// <param name="backend">The backend the operation runs on.</param>
    /// <param name="run">Queues the operation once.</param>
    /// <param name="result">Downloads the result (the output, or the parameters after a step).</param>
    /// <param name="owned">The operands (or model), disposed with this run.</param>
    public PreparedRun(IBackend backend, Action run, Func<float[]> result, IDisposable owned)
    {
        _backend = backend;
        _run = run;
        _result = result;
        _owned = owned;
    }

    /// <summary>Runs the operation once and waits for the device.</summary>
    public void Run()
    {
        _run();
        _backend.Synchronize();
    }

    /// <summary>The last run's result, downloaded to the host.</summary>
    public float[] Result() => _result();

    public void Dispose() => _owned.Dispose();
}
