using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Reference;

/// <summary>
/// The yardstick every benchmark and the throughput guard measure against: plain scalar float32 C#,
/// one thread, one loop nest per formula, no SIMD and no blocking, with the exact semantics of
/// <see cref="IBackend"/>. (The float64 references in the tests are the correctness spec; this one exists
/// to be timed.) This file holds the surface and its checks; the arithmetic lives in ScalarGemm, ScalarConv,
/// ScalarPooling, ScalarElementwise and ScalarOptimizers.
/// </summary>
public sealed class ScalarBackend : IBackend
{
    /// <inheritdoc/>
    public string Name => "scalar reference (1 thread)";

    /// <inheritdoc/>
    public DeviceKind Kind => DeviceKind.Cpu;

    /// <inheritdoc/>
    public DeviceBuffer Allocate(int length) => new ScalarBuffer(this, length);

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> source, Tensor destination) => source.CopyTo(Exactly(destination, source.Length, nameof(destination)));

    /// <inheritdoc/>
    public void Download(Tensor source, Span<float> destination) => Exactly(source, destination.Length, nameof(source)).CopyTo(destination);

    /// <inheritdoc/>
    public void Fill(Tensor destination, float value) => Span(destination, 0, nameof(destination)).Fill(value);

    /// <inheritdoc/>
    public void Copy(Tensor source, Tensor destination) =>
        Span(source, 0, nameof(source)).CopyTo(Exactly(destination, source.Length, nameof(destination)));

    /// <summary>Nothing to wait for: every operation has finished when it returns.</summary>
    public void Synchronize()
    {
    }

    /// <inheritdoc/>
    public void Gemm(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        shape.Validate();
        ScalarGemm.Run(shape, alpha, Span(a, shape.ASize, nameof(a)), Span(b, shape.BSize, nameof(b)), beta, Span(c, shape.CSize, nameof(c)));
    }

    /// <inheritdoc/>
    public void Conv2dForward(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output)
    {
        shape.Validate();
        ScalarConv.Forward(shape, Span(input, shape.InputSize, nameof(input)), Span(weight, shape.WeightSize, nameof(weight)), Span(output, shape.OutputSize, nameof(output)));
    }

    /// <inheritdoc/>
    public void Conv2dBackwardData(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput)
    {
        shape.Validate();
        ScalarConv.BackwardData(shape, Span(dOutput, shape.OutputSize, nameof(dOutput)), Span(weight, shape.WeightSize, nameof(weight)), Span(dInput, shape.InputSize, nameof(dInput)));
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight)
    {
        shape.Validate();
        ScalarConv.BackwardWeight(shape, Span(input, shape.InputSize, nameof(input)), Span(dOutput, shape.OutputSize, nameof(dOutput)), Span(dWeight, shape.WeightSize, nameof(dWeight)));
    }

    /// <inheritdoc/>
    public void MaxPoolForward(in Pool2dShape shape, Tensor input, Tensor output)
    {
        shape.Validate();
        ScalarPooling.MaxForward(shape, Span(input, shape.InputSize, nameof(input)), Span(output, shape.OutputSize, nameof(output)));
    }

    /// <inheritdoc/>
    public void MaxPoolBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput)
    {
        shape.Validate();
        ScalarPooling.MaxBackward(shape, Span(input, shape.InputSize, nameof(input)), Span(dOutput, shape.OutputSize, nameof(dOutput)), Span(dInput, shape.InputSize, nameof(dInput)));
    }

    /// <inheritdoc/>
    public void AvgPoolForward(in Pool2dShape shape, Tensor input, Tensor output)
    {
        shape.Validate();
        ScalarPooling.AvgForward(shape, Span(input, shape.InputSize, nameof(input)), Span(output, shape.OutputSize, nameof(output)));
    }

    /// <inheritdoc/>
    public void AvgPoolBackward(in Pool2dShape shape, Tensor dOutput, Tensor dInput)
    {
        shape.Validate();
        ScalarPooling.AvgBackward(shape, Span(dOutput, shape.OutputSize, nameof(dOutput)), Span(dInput, shape.InputSize, nameof(dInput)));
    }

    /// <inheritdoc/>
    public void BiasActivation(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation)
    {
        long count = (long)outer * channels * inner;
        var b = bias.IsEmpty ? default : Span(bias, channels, nameof(bias));
        ScalarElementwise.BiasActivation(Span(x, count, nameof(x)), b, Span(y, count, nameof(y)), channels, inner, activation);
    }

    /// <inheritdoc/>
    public void ActivationBackward(Tensor y, Tensor dy, Tensor dx, int count, Activation activation) =>
        ScalarElementwise.ActivationBackward(Span(y, count, nameof(y)), Span(dy, count, nameof(dy)), Span(dx, count, nameof(dx)), activation);

    /// <inheritdoc/>
    public void BiasGradient(Tensor dy, Tensor dBias, int outer, int channels, int inner) =>
        ScalarElementwise.BiasGradient(Span(dy, (long)outer * channels * inner, nameof(dy)), Span(dBias, channels, nameof(dBias)), channels, inner);

    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats) =>
        ScalarElementwise.SoftmaxCrossEntropy(
            Span(logits, (long)rows * classes, nameof(logits)), Span(labels, rows, nameof(labels)), classes, gradScale,
            Span(dLogits, (long)rows * classes, nameof(dLogits)), Span(stats, 2, nameof(stats)));

    /// <inheritdoc/>
    public void GatherBatch(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut)
    {
        GatherChecks.Validate(images, labels, indices, offset, count, imageLength, imagesOut, labelsOut);
        Span<float> x = Span(images, 0, nameof(images)), y = Span(labels, 0, nameof(labels)), order = Span(indices, 0, nameof(indices));
        Span<float> xOut = Span(imagesOut, 0, nameof(imagesOut)), yOut = Span(labelsOut, 0, nameof(labelsOut));
        for (var r = 0; r < count; r++)
        {
            var sample = (int)order[offset + r];
            for (var p = 0; p < imageLength; p++)
            {
                xOut[r * imageLength + p] = x[sample * imageLength + p];
            }

            yOut[r] = y[sample];
        }
    }

    /// <inheritdoc/>
    public void SgdStep(Tensor parameters, Tensor gradients, Tensor momentum, in SgdHyper hyper)
    {
        var n = parameters.Length;
        ScalarOptimizers.Sgd(
            Span(parameters, n, nameof(parameters)), Exactly(gradients, n, nameof(gradients)),
            hyper.Momentum == 0 ? default : Exactly(momentum, n, nameof(momentum)), hyper);
    }

    /// <inheritdoc/>
    public void AdamStep(Tensor parameters, Tensor gradients, Tensor m, Tensor v, in AdamHyper hyper)
    {
        var n = parameters.Length;
        ScalarOptimizers.Adam(
            Span(parameters, n, nameof(parameters)), Exactly(gradients, n, nameof(gradients)),
            Exactly(m, n, nameof(m)), Exactly(v, n, nameof(v)), hyper);
    }

    public void Dispose()
    {
    }

    // The first `required` elements of a view of this backend (the whole view when required is 0).
    private Span<float> Span(Tensor view, long required, string name)
    {
        view.Require(required, name);
        return view.OwnedBy<ScalarBuffer>(this, name).Span(view)[..(int)(required == 0 ? view.Length : required)];
    }

    private Span<float> Exactly(Tensor view, int length, string name)
    {
        if (view.Length != length)
        {
            throw new ArgumentException($"Tensor '{name}' has {view.Length} elements but {length} are expected.", name);
        }

        return Span(view, length, name);
    }
}
