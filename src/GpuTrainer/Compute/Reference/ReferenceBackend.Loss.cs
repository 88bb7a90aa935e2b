namespace GpuTrainer.Compute.Reference;

/// <summary>The fused softmax + cross-entropy over logits (rows, classes): loss, its gradient and the correct count in one pass.</summary>
public sealed partial class ReferenceBackend
{
    /// <summary>
    /// Per row r with label t = labels[r] and logits z: p = softmax(z) computed as exp(z - max z) / sum;
    /// loss = -log p[t] = log(sum) + max z - z[t]; dLogits[r,k] = (p[k] - [k == t]) * gradScale.
    /// stats[0] += sum of the losses; stats[1] += rows whose FIRST arg-max equals the label (stats accumulate).
    /// </summary>
    protected override void SoftmaxCrossEntropyMember(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats)
    {
        var z = View(logits, (long)rows * classes, nameof(logits));
        var t = View(labels, rows, nameof(labels));
        var d = View(dLogits, (long)rows * classes, nameof(dLogits));
        var st = View(stats, 2, nameof(stats));
        for (var r = 0; r < rows; r++)
        {
            var row = z.Slice(r * classes, classes);
            var argMax = 0;
            for (var k = 1; k < classes; k++)
            {
                argMax = row[k] > row[argMax] ? k : argMax;
            }

            var max = row[argMax];
            var sum = 0.0;
            for (var k = 0; k < classes; k++)
            {
                sum += Math.Exp(row[k] - max);
            }

            var label = (int)t[r];
            for (var k = 0; k < classes; k++)
            {
                d[r * classes + k] = (Math.Exp(row[k] - max) / sum - (k == label ? 1 : 0)) * gradScale;
            }

            st[0] += Math.Log(sum) + max - row[label];
            st[1] += argMax == label ? 1 : 0;
        }
    }
}
