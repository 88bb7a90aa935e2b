using System.Diagnostics;
using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Profile;

/// <summary>
/// An <see cref="IBackend"/> that forwards every operation to another and adds its wall time and its process CPU time
/// (<see cref="ProcessCpuClock"/>) to a per-operation total, synchronising after each (a group's operations then run
/// one operation for all members at a time, not member by member as in a plain step); the worker threads count in the
/// CPU time, spinning included.
/// </summary>
internal sealed class TimedBackend(IBackend inner) : IBackend
{
    private readonly Dictionary<string, (long Nanoseconds, long Ticks, long Calls)> _totals = [];

    public string Name => inner.Name;

    public DeviceKind Kind => inner.Kind;

    /// <summary>CPU seconds, wall seconds and calls per operation since the last <see cref="Reset"/>.</summary>
    public IEnumerable<(string Op, double Seconds, double WallSeconds, long Calls)> Totals =>
        _totals.Select(t => (t.Key, t.Value.Nanoseconds * 1e-9, t.Value.Ticks / (double)Stopwatch.Frequency, t.Value.Calls));

    public void Reset() => _totals.Clear();

    public DeviceBuffer Allocate(int length) => inner.Allocate(length);

    public void Upload(ReadOnlySpan<float> source, Tensor destination)
    {
        var start = (ProcessCpuClock.Nanoseconds(), Stopwatch.GetTimestamp());
        inner.Upload(source, destination);
        Add(nameof(Upload), start);
    }

    public void Download(Tensor source, Span<float> destination)
    {
        var start = (ProcessCpuClock.Nanoseconds(), Stopwatch.GetTimestamp());
        inner.Download(source, destination);
        Add(nameof(Download), start);
    }

    public void Fill(Tensor destination, float value) => Time(nameof(Fill), () => inner.Fill(destination, value));

    public void Copy(Tensor source, Tensor destination) => Time(nameof(Copy), () => inner.Copy(source, destination));

    public void Synchronize() => inner.Synchronize();

    public void Gemm(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        var s = shape;
        Time($"Gemm {s.M}x{s.N}x{s.K}", () => inner.Gemm(s, alpha, a, b, beta, c));
    }

    public void Conv2dForward(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output)
    {
        var s = shape;
        Time($"Conv2dForward C{s.C}", () => inner.Conv2dForward(s, input, weight, output));
    }

    public void Conv2dBackwardData(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput)
    {
        var s = shape;
        Time($"Conv2dBackwardData C{s.C}", () => inner.Conv2dBackwardData(s, dOutput, weight, dInput));
    }

    public void Conv2dBackwardWeight(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight)
    {
        var s = shape;
        Time($"Conv2dBackwardWeight C{s.C}", () => inner.Conv2dBackwardWeight(s, input, dOutput, dWeight));
    }

    public void MaxPoolForward(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var s = shape;
        Time(nameof(MaxPoolForward), () => inner.MaxPoolForward(s, input, output));
    }

    public void MaxPoolBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput)
    {
        var s = shape;
        Time(nameof(MaxPoolBackward), () => inner.MaxPoolBackward(s, input, dOutput, dInput));
    }

    public void AvgPoolForward(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var s = shape;
        Time(nameof(AvgPoolForward), () => inner.AvgPoolForward(s, input, output));
    }

    public void AvgPoolBackward(in Pool2dShape shape, Tensor dOutput, Tensor dInput)
    {
        var s = shape;
        Time(nameof(AvgPoolBackward), () => inner.AvgPoolBackward(s, dOutput, dInput));
    }

    public void BiasActivation(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner2, Activation activation) =>
        Time($"BiasActivation {channels}x{inner2}", () => inner.BiasActivation(x, bias, y, outer, channels, inner2, activation));

    public void ActivationBackward(Tensor y, Tensor dy, Tensor dx, int count, Activation activation) =>
        Time(nameof(ActivationBackward), () => inner.ActivationBackward(y, dy, dx, count, activation));

    public void BiasGradient(Tensor dy, Tensor dBias, int outer, int channels, int inner2) =>
        Time($"BiasGradient {channels}x{inner2}", () => inner.BiasGradient(dy, dBias, outer, channels, inner2));

    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats) =>
        Time(nameof(SoftmaxCrossEntropy), () => inner.SoftmaxCrossEntropy(logits, labels, rows, classes, gradScale, dLogits, stats));

    public void GatherBatch(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut) =>
        Time(nameof(GatherBatch), () => inner.GatherBatch(images, labels, indices, offset, count, imageLength, imagesOut, labelsOut));

    public void OptimizerStep(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor table) =>
        Time(nameof(OptimizerStep), () => inner.OptimizerStep(parameters, gradients, state1, state2, table));

    public void Conv2dForwardBiasActivation(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation)
    {
        var s = shape;
        Time($"Conv2dForwardBiasActivation C{s.C}", () => inner.Conv2dForwardBiasActivation(s, input, weight, bias, output, activation));
    }

    public void Conv2dBackwardWeightBias(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias)
    {
        var s = shape;
        Time($"Conv2dBackwardWeightBias C{s.C}", () => inner.Conv2dBackwardWeightBias(s, input, dOutput, dWeight, dBias));
    }

    public void LinearForward(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation) =>
        Time($"LinearForward {inFeatures}->{outFeatures}", () => inner.LinearForward(batch, inFeatures, outFeatures, x, weight, bias, y, activation));

    public void LinearBackward(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation) =>
        Time($"LinearBackward {inFeatures}->{outFeatures}", () => inner.LinearBackward(batch, inFeatures, outFeatures, x, weight, dy, dWeight, dBias, dx, inputActivation));

    public void MaxPoolActivationBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation)
    {
        var s = shape;
        Time($"MaxPoolActivationBackward C{s.C}", () => inner.MaxPoolActivationBackward(s, input, dOutput, dInput, inputActivation));
    }

    public void Dispose() => inner.Dispose();

    private void Time(string op, Action call)
    {
        var start = (ProcessCpuClock.Nanoseconds(), Stopwatch.GetTimestamp());
        call();
        inner.Synchronize();
        Add(op, start);
    }

    private void Add(string op, (long Nanoseconds, long Ticks) start)
    {
        var ticks = Stopwatch.GetTimestamp() - start.Ticks;
        var nanoseconds = ProcessCpuClock.Nanoseconds() - start.Nanoseconds;
        _totals[op] = _totals.TryGetValue(op, out var t) ? (t.Nanoseconds + nanoseconds, t.Ticks + ticks, t.Calls + 1) : (nanoseconds, ticks, 1);
    }
}
