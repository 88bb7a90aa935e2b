using GpuTrainer.Compute;

namespace GpuTrainer.Training;

/// <summary>
/// Per-step loss statistics kept on the device: step i of a run of steps adds its [loss sum, correct count] into
/// slot i (the loss kernel's own accumulation into a slot zeroed beforehand, so no per-step reset), and the whole
/// run is read with one download. Zeroing is one launch per run of steps, not one per step.
/// </summary>
internal sealed class StepLog : IDisposable
{
    private const int SlotSize = 2;

    private readonly IBackend _backend;
    private DeviceBuffer _slots;
    private float[] _host;

    public StepLog(IBackend backend, int capacity)
    {
        _backend = backend;
        _slots = backend.Allocate(SlotSize * capacity);
        _host = new float[SlotSize * capacity];
    }

    /// <summary>Makes room for <paramref name="steps"/> slots (growing reallocates, outside any step) and zeroes them.</summary>
    public void Reset(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (SlotSize * steps > _host.Length)
        {
            _slots.Dispose();
            _slots = _backend.Allocate(SlotSize * steps);
            _host = new float[SlotSize * steps];
        }

        _backend.Fill(_slots.Slice(0, SlotSize * steps), 0f);
    }

    /// <summary>Slots [<paramref name="first"/>, first + members) as one [loss sum, correct count] slot per member (one step's stats).</summary>
    public Tensor Slots(int first, int members) => new(_slots, SlotSize * first, SlotSize, members, SlotSize);

    /// <summary>Downloads the first <paramref name="steps"/> slots (waits for them) and returns the loss sums in a caller's span.</summary>
    public void ReadLossSums(int steps, Span<double> lossSums)
    {
        _backend.Download(_slots.Slice(0, SlotSize * steps), _host.AsSpan(0, SlotSize * steps));
        for (var i = 0; i < steps; i++)
        {
            lossSums[i] = _host[SlotSize * i];
        }
    }

    public void Dispose() => _slots.Dispose();
}
