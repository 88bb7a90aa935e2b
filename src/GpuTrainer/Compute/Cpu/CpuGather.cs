namespace GpuTrainer.Compute.Cpu;

/// <summary>The batch gather: one row copy per sample (a batch is a few hundred KB, one thread copies it at memory speed).</summary>
internal static class CpuGather
{
    // imagesOut[r, :] = images[s, :], labelsOut[r] = labels[s] for s = (int)indices[offset + r], r in [0, count).
    public static void Batch(
        ReadOnlySpan<float> images, ReadOnlySpan<float> labels, ReadOnlySpan<float> indices, int offset, int count, int imageLength,
        Span<float> imagesOut, Span<float> labelsOut)
    {
        for (var r = 0; r < count; r++)
        {
            var index = indices[offset + r];
            var sample = (int)index;
            if (sample != index || (uint)sample >= (uint)labels.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {index} at {offset + r} is not a sample number in [0, {labels.Length}).");
            }

            images.Slice(sample * imageLength, imageLength).CopyTo(imagesOut.Slice(r * imageLength, imageLength));
            labelsOut[r] = labels[sample];
        }
    }
}
