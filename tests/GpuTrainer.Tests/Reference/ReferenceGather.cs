namespace GpuTrainer.Tests.Reference;

/// <summary>The float64 reference of <c>IBackend.GatherBatch</c> (kept apart from ReferenceOps so that it moves with it easily).</summary>
public static class ReferenceGather
{
    /// <summary>imagesOut[r, :] = images[s, :], labelsOut[r] = labels[s] for s = indices[offset + r], r in [0, count).</summary>
    public static (double[] Images, double[] Labels) Batch(
        double[] images, double[] labels, double[] indices, int offset, int count, int imageLength)
    {
        var imagesOut = new double[count * imageLength];
        var labelsOut = new double[count];
        for (var r = 0; r < count; r++)
        {
            var sample = checked((int)indices[offset + r]);
            Array.Copy(images, sample * imageLength, imagesOut, r * imageLength, imageLength);
            labelsOut[r] = labels[sample];
        }

        return (imagesOut, labelsOut);
    }
}
