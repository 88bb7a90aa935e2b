using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// Mean cross-entropy over a batch for every member of a <see cref="Model"/> through the fused kernel: one launch for all
/// K members writes each member's dLogits (K, batch, classes) = (softmax - onehot) / batch and adds its loss sum and
/// number of correct arg-max predictions to its (K, 2) sums, which accumulate on the device until
/// <see cref="ReadAndReset"/>, so an evaluation downloads once. Each member's figures are computed as a lone model's are.
/// </summary>
public sealed class SoftmaxCrossEntropyLoss : IDisposable
{
    private readonly IBackend _backend;
    private readonly DeviceBuffer _dLogits;
    private readonly DeviceBuffer _stats;   // per member [loss sum, correct count]
    private readonly float[] _host;
    private readonly int _maxBatch;
    private int _samples;

    public SoftmaxCrossEntropyLoss(IBackend backend, int maxBatch, int classes, int members = 1)
    {
        (_backend, Members, Classes, _maxBatch) = (backend, members, classes, maxBatch);
        _dLogits = backend.Allocate(members * maxBatch * classes);
        _stats = backend.Allocate(2 * members);
        _host = new float[2 * members];
    }

    /// <summary>K, the members.</summary>
    public int Members { get; }

    public int Classes { get; }

    /// <summary>dLoss/dLogits of the last <see cref="Accumulate"/>, per member (batch, classes).</summary>
    public Tensor DLogits(int batch) => new(_dLogits, 0, batch * Classes, Members, _maxBatch * Classes);

    /// <summary>Adds every member's batch loss and correct count to its sums and writes its dLogits for the batch mean.</summary>
    public void Accumulate(Tensor logits, Tensor labels, int batch)
    {
        AccumulateInto(logits, labels, batch, new Tensor(_stats, 0, 2, Members, 2));
        _samples += batch;
    }

    /// <summary>
    /// Writes every member's dLogits for the batch mean and adds its [loss sum, correct count] to its view of
    /// <paramref name="stats"/> (2 floats per member, e.g. one step's slots of a per-step log), leaving this object's own sums alone.
    /// </summary>
    public void AccumulateInto(Tensor logits, Tensor labels, int batch, Tensor stats) =>
        _backend.SoftmaxCrossEntropy(logits, labels.Member(0).Shared(Members), batch, Classes, 1f / batch, DLogits(batch), stats);

    /// <summary>Per member: mean loss and accuracy over everything accumulated since the last reset (NaN when nothing was); then resets.</summary>
    public (double MeanLoss, double Accuracy)[] ReadAndReset()
    {
        _backend.Download(_stats.All, _host);
        var samples = _samples;
        _backend.Fill(_stats.All, 0f);
        _samples = 0;
        return [.. Enumerable.Range(0, Members).Select(k => samples == 0
            ? (double.NaN, double.NaN)
            : ((double)_host[2 * k] / samples, (double)_host[(2 * k) + 1] / samples))];
    }

    public void Dispose()
    {
        _dLogits.Dispose();
        _stats.Dispose();
    }
}
