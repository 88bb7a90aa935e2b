namespace GpuTrainer.Compute.Reference;

// Batch gather from a resident data set: a copy, so "float64" only means the values are kept exactly.
public sealed partial class ReferenceBackend
{
    /// <summary>imagesOut[r, :] = images[s, :], labelsOut[r] = labels[s] for s = indices[offset + r], r in [0, count).</summary>
    protected override void GatherBatchMember(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut)
    {
        var x = View(images, images.Length, nameof(images));
        var y = View(labels, labels.Length, nameof(labels));
        var order = View(indices, indices.Length, nameof(indices));
        var xOut = View(imagesOut, imagesOut.Length, nameof(imagesOut));
        var yOut = View(labelsOut, labelsOut.Length, nameof(labelsOut));
        for (var r = 0; r < count; r++)
        {
            var sample = checked((int)order[offset + r]);
            x.Slice(sample * imageLength, imageLength).CopyTo(xOut.Slice(r * imageLength, imageLength));
            yOut[r] = y[sample];
        }
    }
}
