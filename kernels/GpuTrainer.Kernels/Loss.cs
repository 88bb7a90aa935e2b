// Fused softmax + cross-entropy over logits (rows, classes) with integer-valued float labels (rows).
//
// Accumulation rule: dLogits is OVERWRITTEN (`=`); stats ACCUMULATES (`+=`, via FloatAtomics) so that an
// evaluation can sum many batches before one download: stats[0] += loss sum, stats[1] += correct rows.
//
// Variants: one; a thread per row (classes is small, 10 for MNIST) computes the max, the log-sum-exp,
// the first arg-max, the loss and the whole dLogits row in one pass over memory.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>The fused loss kernel.</summary>
public static class LossKernels
{
    /// <summary>
    /// dLogits[r,k] = (softmax(logits[r])[k] - onehot(label[r])[k]) * gradScale;
    /// stats[0] += -log softmax(logits[r])[label[r]]; stats[1] += 1 where the first arg-max equals the label.
    /// </summary>
    /// <param name="row">Row index in [0, rows).</param>
    /// <param name="logits">logits (rows, classes).</param>
    /// <param name="labels">labels (rows), integer values in [0, classes).</param>
    /// <param name="dLogits">dLogits (rows, classes), overwritten.</param>
    /// <param name="stats">stats (2): loss sum and correct count, accumulated.</param>
    /// <param name="classes">Classes per row.</param>
    /// <param name="gradScale">Factor applied to dLogits (1/rows for a mean loss).</param>
    public static void SoftmaxCrossEntropyKernel(
        Index1D row, ArrayView<float> logits, ArrayView<float> labels, ArrayView<float> dLogits, ArrayView<float> stats,
        int classes, float gradScale)
    {
        var start = (long)row.X * classes;
        var max = logits[start];
        var argMax = 0;
        for (var k = 1; k < classes; k++)
        {
            var v = logits[start + k];
            if (v > max)
            {
                (max, argMax) = (v, k);
            }
        }

        var sum = 0f;
        for (var k = 0; k < classes; k++)
        {
            sum += MathF.Exp(logits[start + k] - max);
        }

        var label = (int)labels[row];
        for (var k = 0; k < classes; k++)
        {
            var p = MathF.Exp(logits[start + k] - max) / sum;
            dLogits[start + k] = (k == label ? p - 1f : p) * gradScale;
        }

        FloatAtomics.Add(stats, 0, MathF.Log(sum) + max - logits[start + label]);
        if (argMax == label)
        {
            FloatAtomics.Add(stats, 1, 1f);
        }
    }
}
