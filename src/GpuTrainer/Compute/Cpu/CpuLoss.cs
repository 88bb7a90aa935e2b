namespace GpuTrainer.Compute.Cpu;

/// <summary>Fused softmax + cross-entropy, one row at a time (rows are few and short).</summary>
internal static unsafe class CpuLoss
{
    // dLogits = (softmax(logits) - onehot(label)) * gradScale; stats[0] += sum of -log p[label]; stats[1] += correct rows.
    public static void SoftmaxCrossEntropy(float* logits, float* labels, int rows, int classes, float gradScale, float* dLogits, float* stats)
    {
        var lossSum = 0.0;
        var correct = 0;
        for (var r = 0; r < rows; r++)
        {
            float* row = logits + (long)r * classes, d = dLogits + (long)r * classes;
            var label = (int)labels[r];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[r]} of row {r} is outside [0, {classes}).");
            }

            var argMax = 0;
            for (var k = 1; k < classes; k++)
            {
                if (row[k] > row[argMax])
                {
                    argMax = k;
                }
            }

            var max = row[argMax];
            var sum = 0f;
            for (var k = 0; k < classes; k++)
            {
                d[k] = MathF.Exp(row[k] - max);
                sum += d[k];
            }

            var scale = gradScale / sum;
            for (var k = 0; k < classes; k++)
            {
                d[k] *= scale;
            }

            d[label] -= gradScale;
            lossSum += Math.Log(sum) + max - row[label];
            correct += argMax == label ? 1 : 0;
        }

        stats[0] = (float)(stats[0] + lossSum);
        stats[1] += correct;
    }
}
