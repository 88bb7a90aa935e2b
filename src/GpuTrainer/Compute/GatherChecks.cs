namespace GpuTrainer.Compute;

/// <summary>The argument checks of <see cref="IBackend.GatherBatch"/>, shared by every backend.</summary>
internal static class GatherChecks
{
    /// <summary>
    /// Throws unless images (samples, imageLength), labels (samples), indices (at least offset + count) and the outputs
    /// (count, imageLength) and (count) fit, naming the view that does not, all of one member (the batch every member
    /// shares); returns the number of samples.
    /// </summary>
    public static int Validate(
        Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut)
    {
        if (Tensor.MembersOf(images, labels, indices, imagesOut, labelsOut) != 1)
        {
            throw new ArgumentException("A batch is gathered once, for every member: its views have one member.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageLength);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        labels.Require(1, nameof(labels));
        var samples = labels.Length;
        if ((long)samples * imageLength != images.Length)
        {
            throw new ArgumentException(
                $"Tensor 'images' has {images.Length} elements but {samples} samples of {imageLength} floats need {(long)samples * imageLength}.",
                nameof(images));
        }

        indices.Require((long)offset + count, nameof(indices));
        imagesOut.Require((long)count * imageLength, nameof(imagesOut));
        labelsOut.Require(count, nameof(labelsOut));
        return samples;
    }
}
