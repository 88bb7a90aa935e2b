using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Reference;

/// <summary>Scalar bias + activation, its backward, bias gradients and the fused softmax cross-entropy.</summary>
internal static class ScalarElementwise
{
    // y[o,c,i] = act(x[o,c,i] + bias[c]) over (outer, channels, inner); an empty bias adds nothing.
    public static void BiasActivation(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int channels, int inner, Activation activation)
    {
        for (var i = 0; i < y.Length; i++)
        {
            var v = x[i] + (bias.IsEmpty ? 0 : bias[i / inner % channels]);
            y[i] = activation == Activation.Relu && v < 0 ? 0 : v;
        }
    }

    // dx = dy * act'(y)
    public static void ActivationBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, Activation activation)
    {
        for (var i = 0; i < dx.Length; i++)
        {
            dx[i] = activation == Activation.Relu && y[i] <= 0 ? 0 : dy[i];
        }
    }

    // dBias[c] = sum over o and i of dy[o,c,i]
    public static void BiasGradient(ReadOnlySpan<float> dy, Span<float> dBias, int channels, int inner)
    {
        dBias.Clear();
        for (var i = 0; i < dy.Length; i++)
        {
            dBias[i / inner % channels] += dy[i];
        }
    }

    // dLogits = (softmax - onehot) * gradScale; stats[0] += loss sum, stats[1] += correct rows.
    public static void SoftmaxCrossEntropy(
        ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int classes, float gradScale, Span<float> dLogits, Span<float> stats)
    {
        for (var row = 0; row < labels.Length; row++)
        {
            var z = logits.Slice(row * classes, classes);
            var label = (int)labels[row];
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                best = z[k] > z[best] ? k : best;
            }

            var sum = 0f;
            for (var k = 0; k < classes; k++)
            {
                sum += MathF.Exp(z[k] - z[best]);
            }

            for (var k = 0; k < classes; k++)
            {
                dLogits[row * classes + k] = (MathF.Exp(z[k] - z[best]) / sum - (k == label ? 1 : 0)) * gradScale;
            }

            stats[0] += MathF.Log(sum) - (z[label] - z[best]);
            stats[1] += best == label ? 1 : 0;
        }
    }
}
