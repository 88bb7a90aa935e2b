using GpuTrainer.Compute.Ilgpu;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// The device work of one training step on an <see cref="IlgpuBackend"/>: hooked to the trainer's per-step callback, it
/// reads the backend's counters after every step and reports the most launches and host synchronisations between two
/// consecutive steps (so the epoch's own once-per-epoch work, the order upload, log reset and log read, is not counted).
/// </summary>
public sealed class StepCounter(IlgpuBackend backend)
{
    private readonly List<IlgpuCounters> _readings = [];

    /// <summary>Steps seen.</summary>
    public int Steps => _readings.Count;

    /// <summary>Call after each step.</summary>
    public void AfterStep() => _readings.Add(backend.Counters);

    /// <summary>The largest launch and synchronisation counts of one step; needs at least two steps.</summary>
    public IlgpuCounters MaxPerStep()
    {
        if (_readings.Count < 2)
        {
            throw new InvalidOperationException($"A step is counted between two steps, but {_readings.Count} were seen.");
        }

        var steps = _readings.Zip(_readings.Skip(1), (earlier, later) => later - earlier).ToList();
        return new IlgpuCounters(steps.Max(s => s.Launches), steps.Max(s => s.Synchronizations));
    }
}
