using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// Mean cross-entropy over a batch through the fused kernel: one launch yields the loss sum, the
/// number of correct arg-max predictions and dLogits = (softmax - onehot) / batch.
/// Sums accumulate on the device until <see cref="ReadAndReset"/>, so an evaluation downloads once.
/// </summary>
public sealed class SoftmaxCrossEntropyLoss : IDisposable
{
    private readonly IBackend _backend;
    private readonly DeviceBuffer _dLogits;
    private readonly DeviceBuffer _stats;   // [loss sum, correct count]
    private readonly float[] _host = new float[2];
    private int _samples;

    public SoftmaxCrossEntropyLoss(IBackend backend, int maxBatch, int classes)
    {
        _backend = backend;
        Classes = classes;
        _dLogits = backend.Allocate(maxBatch * classes);
        _stats = backend.Allocate(2);
    }

    public int Classes { get; }

    /// <summary>dLoss/dLogits of the last <see cref="Accumulate"/>, (batch, classes).</summary>
    public Tensor DLogits(int batch) => _dLogits.Slice(0, batch * Classes);

    /// <summary>Adds the batch's loss and correct count to the running sums and writes dLogits for the batch mean.</summary>
    public void Accumulate(Tensor logits, Tensor labels, int batch)
    {
        AccumulateInto(logits, labels, batch, _stats.All);
        _samples += batch;
    }

    /// <summary>
    /// Writes dLogits for the batch mean and adds the batch's [loss sum, correct count] to <paramref name="stats"/> (2 floats,
    /// e.g. one step's slot of a per-step log), leaving this object's own running sums alone.
    /// </summary>
    public void AccumulateInto(Tensor logits, Tensor labels, int batch, Tensor stats) =>
        _backend.SoftmaxCrossEntropy(logits, labels, batch, Classes, 1f / batch, _dLogits.Slice(0, batch * Classes), stats);

    /// <summary>Mean loss and accuracy over everything accumulated since the last reset; then resets.</summary>
    public (double MeanLoss, double Accuracy, int Samples) ReadAndReset()
    {
        _backend.Download(_stats.All, _host);
        var samples = _samples;
        _backend.Fill(_stats.All, 0f);
        _samples = 0;
        return samples == 0 ? (double.NaN, double.NaN, 0) : ((double)_host[0] / samples, (double)_host[1] / samples, samples);
    }

    public void Dispose()
    {
        _dLogits.Dispose();
        _stats.Dispose();
    }
}
