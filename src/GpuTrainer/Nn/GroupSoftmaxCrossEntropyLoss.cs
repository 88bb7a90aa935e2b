using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// <see cref="SoftmaxCrossEntropyLoss"/> for a <see cref="ModelGroup"/>: one grouped launch per batch writes every model's
/// dLogits (K, batch, classes) and accumulates its [loss sum, correct count] (K, 2); <see cref="ReadAndReset"/>
/// downloads the K pairs at once. Each model's figures are computed as a single model's are.
/// </summary>
public sealed class GroupSoftmaxCrossEntropyLoss : IDisposable
{
    private readonly IBackend _backend;
    private readonly DeviceBuffer _dLogits;
    private readonly DeviceBuffer _stats;
    private readonly float[] _host;
    private readonly int _maxBatch;
    private int _samples;

    public GroupSoftmaxCrossEntropyLoss(IBackend backend, int models, int maxBatch, int classes)
    {
        (_backend, Models, Classes, _maxBatch) = (backend, models, classes, maxBatch);
        _dLogits = backend.Allocate(models * maxBatch * classes);
        _stats = backend.Allocate(2 * models);
        _host = new float[2 * models];
    }

    public int Models { get; }
    public int Classes { get; }

    /// <summary>dLoss/dLogits of the last <see cref="Accumulate"/>, per model (batch, classes).</summary>
    public GroupTensor DLogits(int batch) => new(_dLogits.Slice(0, batch * Classes), _maxBatch * Classes, Models);

    /// <summary>Adds every model's batch loss and correct count to its sums and writes its dLogits for the batch mean.</summary>
    public void Accumulate(GroupTensor logits, Tensor labels, int batch)
    {
        AccumulateInto(logits, labels, batch, new GroupTensor(_stats.Slice(0, 2), 2, Models));
        _samples += batch;
    }

    /// <summary>
    /// Writes every model's dLogits for the batch mean and adds its [loss sum, correct count] to stats_k (2 floats per model,
    /// e.g. one grouped step's slots of a per-step log), leaving this object's own running sums alone.
    /// </summary>
    public void AccumulateInto(GroupTensor logits, Tensor labels, int batch, GroupTensor stats) =>
        _backend.GroupSoftmaxCrossEntropy(logits, GroupTensor.Shared(labels, Models), batch, Classes, 1f / batch, DLogits(batch), stats);

    /// <summary>Per model: mean loss and accuracy over everything accumulated since the last reset; then resets.</summary>
    public (double MeanLoss, double Accuracy)[] ReadAndReset()
    {
        _backend.Download(_stats.All, _host);
        var samples = _samples;
        _backend.Fill(_stats.All, 0f);
        _samples = 0;
        return [.. Enumerable.Range(0, Models).Select(k => samples == 0
            ? (double.NaN, double.NaN)
            : ((double)_host[2 * k] / samples, (double)_host[(2 * k) + 1] / samples))];
    }

    public void Dispose()
    {
        _dLogits.Dispose();
        _stats.Dispose();
    }
}
