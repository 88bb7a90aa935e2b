namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// The batch gather: one row copy per sample. The rows come from anywhere in a resident data set far larger than the
/// caches, so a copy waits on memory more than it moves bytes: the rows are split over the threads.
/// </summary>
internal static unsafe class CpuGather
{
    private const int MinRowsPerPart = 16;

    // imagesOut[r, :] = images[s, :], labelsOut[r] = labels[s] for s = (int)indices[offset + r], r in [0, count); the
    // views' sizes are GatherChecks.Validate's, the indices are checked here.
    public static void Batch(
        ReadOnlySpan<float> images, ReadOnlySpan<float> labels, ReadOnlySpan<float> indices, int offset, int count, int imageLength,
        Span<float> imagesOut, Span<float> labelsOut, CpuParallel parallel)
    {
        for (var r = 0; r < count; r++)
        {
            var index = indices[offset + r];
            var sample = (int)index;
            if (sample != index || (uint)sample >= (uint)labels.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {index} at {offset + r} is not a sample number in [0, {labels.Length}).");
            }
        }

        fixed (float* x = images, y = labels, i = indices, xOut = imagesOut, yOut = labelsOut)
        {
            var rows = new Rows(x, y, i + offset, imageLength, xOut, yOut);
            parallel.ForRanges(count, MinRowsPerPart, ref rows);
        }
    }

    // Rows [first, end) of the gather; the indices are checked.
    private readonly struct Rows(float* images, float* labels, float* indices, int imageLength, float* imagesOut, float* labelsOut) : ICpuRange
    {
        public void Run(int first, int end)
        {
            for (var r = first; r < end; r++)
            {
                var sample = (long)indices[r];
                new ReadOnlySpan<float>(images + (sample * imageLength), imageLength).CopyTo(new Span<float>(imagesOut + ((long)r * imageLength), imageLength));
                labelsOut[r] = labels[sample];
            }
        }
    }
}
