using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Tests.Diagnostics;

/// <summary>A deliberately broken backend: the managed CPU backend, except that BiasGradient adds 1 to dBias[0].</summary>
internal sealed class PerturbedBackend : IBackend
{
    private readonly CpuBackend _inner = new(threads: 1);

    public string Name => "perturbed CPU";
    public DeviceKind Kind => DeviceKind.Cpu;

    public void BiasGradient(Tensor dy, Tensor dBias, int outer, int channels, int inner)
    {
        _inner.BiasGradient(dy, dBias, outer, channels, inner);
        var first = new float[1];
        _inner.Download(dBias.Slice(0, 1), first);
        first[0] += 1f;
        _inner.Upload(first, dBias.Slice(0, 1));
    }

    public DeviceBuffer Allocate(int length) => _inner.Allocate(length);
    public void Upload(ReadOnlySpan<float> source, Tensor destination) => _inner.Upload(source, destination);
    public void Download(Tensor source, Span<float> destination) => _inner.Download(source, destination);
    public void Fill(Tensor destination, float value) => _inner.Fill(destination, value);
    public void Copy(Tensor source, Tensor destination) => _inner.Copy(source, destination);
    public void Synchronize() => _inner.Synchronize();
    public void Gemm(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c) => _inner.Gemm(shape, alpha, a, b, beta, c);
    public void Conv2dForward(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output) => _inner.Conv2dForward(shape, input, weight, output);
    public void Conv2dBackwardData(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput) => _inner.Conv2dBackwardData(shape, dOutput, weight, dInput);
    public void Conv2dBackwardWeight(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight) => _inner.Conv2dBackwardWeight(shape, input, dOutput, dWeight);
    public void MaxPoolForward(in Pool2dShape shape, Tensor input, Tensor output) => _inner.MaxPoolForward(shape, input, output);
    public void MaxPoolBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput) => _inner.MaxPoolBackward(shape, input, dOutput, dInput);
    public void AvgPoolForward(in Pool2dShape shape, Tensor input, Tensor output) => _inner.AvgPoolForward(shape, input, output);
    public void AvgPoolBackward(in Pool2dShape shape, Tensor dOutput, Tensor dInput) => _inner.AvgPoolBackward(shape, dOutput, dInput);

    public void BiasActivation(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation) =>
        _inner.BiasActivation(x, bias, y, outer, channels, inner, activation);

    public void ActivationBackward(Tensor y, Tensor dy, Tensor dx, int count, Activation activation) => _inner.ActivationBackward(y, dy, dx, count, activation);

    public void GatherBatch(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut) =>
        _inner.GatherBatch(images, labels, indices, offset, count, imageLength, imagesOut, labelsOut);
    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats) =>
        _inner.SoftmaxCrossEntropy(logits, labels, rows, classes, gradScale, dLogits, stats);

    public void OptimizerStep(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor table) =>
        _inner.OptimizerStep(parameters, gradients, state1, state2, table);

    public void Conv2dForwardBiasActivation(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation) =>
        _inner.Conv2dForwardBiasActivation(shape, input, weight, bias, output, activation);

    public void Conv2dBackwardWeightBias(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias) =>
        _inner.Conv2dBackwardWeightBias(shape, input, dOutput, dWeight, dBias);

    public void LinearForward(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation) =>
        _inner.LinearForward(batch, inFeatures, outFeatures, x, weight, bias, y, activation);

    public void LinearBackward(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation) =>
        _inner.LinearBackward(batch, inFeatures, outFeatures, x, weight, dy, dWeight, dBias, dx, inputActivation);

    public void MaxPoolActivationBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation) =>
        _inner.MaxPoolActivationBackward(shape, input, dOutput, dInput, inputActivation);
    public void Dispose() => _inner.Dispose();
}
