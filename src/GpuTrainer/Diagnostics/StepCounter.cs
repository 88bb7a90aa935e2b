using GpuTrainer.Compute.Ilgpu;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// The device work of one training step on an <see cref="IlgpuBackend"/>: hooked to the trainer's per-step callback, it
/// reads the backend's counters and the bytes this thread has allocated after every step and reports the most launches,
/// host synchronisations and allocated bytes between two consecutive steps (so the epoch's own once-per-epoch work, the
/// order upload and the log read, is not counted). Call it on the thread that queues the steps.
/// </summary>
public sealed class StepCounter(IlgpuBackend backend)
{
    private readonly List<(IlgpuCounters Counters, long Allocated)> _readings = [];

    /// <summary>Steps seen.</summary>
    public int Steps => _readings.Count;

    /// <summary>Call after each step. Keeps its readings in a list sized up front, so that it allocates nothing itself.</summary>
    public void AfterStep() => _readings.Add((backend.Counters, GC.GetAllocatedBytesForCurrentThread()));

    /// <summary>Makes room for <paramref name="steps"/> readings before they are taken.</summary>
    public void Reserve(int steps) => _readings.EnsureCapacity(steps);

    /// <summary>The largest launch and synchronisation counts and launch bytes of one step, each on its own; needs at least two steps.</summary>
    public IlgpuCounters MaxPerStep() => new(
        Differences(r => r.Counters.Launches).Max(), Differences(r => r.Counters.Synchronizations).Max(), Differences(r => r.Counters.LaunchBytes).Max());

    /// <summary>The most bytes the queuing thread allocated in one step; needs at least two steps.</summary>
    public long MaxAllocatedBytesPerStep() => Differences(r => r.Allocated).Max();

    /// <summary>
    /// The most bytes one step allocated outside ILGPU's launch calls (<see cref="IlgpuCounters.LaunchBytes"/>): what the
    /// trainer, the layers and the backend's own code allocate; needs at least two steps.
    /// </summary>
    public long MaxOwnAllocatedBytesPerStep() => Differences(r => r.Allocated - r.Counters.LaunchBytes).Max();

    private List<long> Differences(Func<(IlgpuCounters Counters, long Allocated), long> value)
    {
        if (_readings.Count < 2)
        {
            throw new InvalidOperationException($"A step is counted between two steps, but {_readings.Count} were seen.");
        }

        return [.. _readings.Zip(_readings.Skip(1), (earlier, later) => value(later) - value(earlier))];
    }
}
