using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// Mean cross-entropy over a batch for every member of a <see cref="Model"/> through the fused kernel: one launch for all
/// K members writes each member's dLogits (K, batch, classes) = (softmax - onehot) / batch and adds its [loss sum, correct
/// count] to its slot of a device log: (steps, K, 2). A run of training steps accumulates step i into slot row i (rows
/// zeroed once beforehand by <see cref="Reset"/>, so no per-step reset), an evaluation accumulates every batch into row 0;
/// either is read with one download. Each member's figures are computed as a lone model's are.
/// </summary>
public sealed class SoftmaxCrossEntropyLoss : IDisposable
{
    private const int Stats = 2;   // [loss sum, correct count]

    private readonly IBackend _backend;
    private readonly DeviceBuffer _dLogits;
    private readonly int _maxBatch;
    private DeviceBuffer _log;
    private float[] _host;

    public SoftmaxCrossEntropyLoss(IBackend backend, int maxBatch, int classes, int members = 1)
    {
        (_backend, Members, Classes, _maxBatch) = (backend, members, classes, maxBatch);
        _dLogits = backend.Allocate(members * maxBatch * classes);
        _log = backend.Allocate(Stats * members);
        _host = new float[Stats * members];
    }

    /// <summary>K, the members.</summary>
    public int Members { get; }

    public int Classes { get; }

    /// <summary>dLoss/dLogits of the last <see cref="Accumulate"/>, per member (batch, classes).</summary>
    public Tensor DLogits(int batch) => new(_dLogits, 0, batch * Classes, Members, _maxBatch * Classes);

    /// <summary>Makes room for <paramref name="steps"/> rows of the log (growing reallocates, outside any step) and zeroes them.</summary>
    public void Reset(int steps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var floats = Stats * Members * steps;
        if (floats > _host.Length)
        {
            _log.Dispose();
            _log = _backend.Allocate(floats);
            _host = new float[floats];
        }

        _backend.Fill(_log.Slice(0, floats), 0f);
    }

    /// <summary>Writes every member's dLogits for the batch mean and adds its batch loss sum and correct count to row <paramref name="step"/> of the log.</summary>
    public void Accumulate(Tensor logits, Tensor labels, int batch, int step = 0) =>
        _backend.SoftmaxCrossEntropy(
            logits, labels.Member(0).Shared(Members), batch, Classes, 1f / batch, DLogits(batch), new Tensor(_log, Stats * Members * step, Stats, Members, Stats));

    /// <summary>Downloads the first <paramref name="steps"/> rows (waits for them); lossSums[i * K + k] is member k's loss sum at step i.</summary>
    public void ReadLossSums(int steps, Span<double> lossSums)
    {
        Download(steps);
        for (var i = 0; i < steps * Members; i++)
        {
            lossSums[i] = _host[Stats * i];
        }
    }

    /// <summary>Per member: mean loss and accuracy of what row 0 holds, over <paramref name="samples"/> samples (NaN for none).</summary>
    public (double MeanLoss, double Accuracy)[] Means(int samples)
    {
        Download(1);
        return [.. Enumerable.Range(0, Members).Select(k => samples == 0
            ? (double.NaN, double.NaN)
            : ((double)_host[Stats * k] / samples, (double)_host[(Stats * k) + 1] / samples))];
    }

    private void Download(int steps) => _backend.Download(_log.Slice(0, Stats * Members * steps), _host.AsSpan(0, Stats * Members * steps));

    public void Dispose()
    {
        _dLogits.Dispose();
        _log.Dispose();
    }
}
