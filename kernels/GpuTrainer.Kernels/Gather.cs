// Batch gather from a data set resident on the device: the step's only data movement, so that a training
// step needs no host round-trip. The data set is images (samples, imageLength) and labels (samples) as
// floats; one index array per epoch (the shuffled order, integer-valued floats) names the samples of every batch.
//
// Accumulation rule: imagesOut and labelsOut are OVERWRITTEN (`=`).
//
// Variants: one; a thread per output float, consecutive threads copy consecutive floats of one image, so
// reads and writes are coalesced within each image row; the thread at column 0 also copies the label.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>The batch gather kernel.</summary>
public static class GatherKernels
{
    /// <summary>
    /// For row r = index / imageLength, column c = index % imageLength and sample s = (int)indices[offset + r]:
    /// imagesOut[r, c] = images[s, c]; at c = 0 also labelsOut[r] = labels[s].
    /// </summary>
    /// <param name="index">Flat output index in [0, count*imageLength).</param>
    /// <param name="images">images (samples, imageLength), the resident data set.</param>
    /// <param name="labels">labels (samples).</param>
    /// <param name="indices">sample order (at least offset + count), integer-valued floats in [0, samples).</param>
    /// <param name="imagesOut">batch images (count, imageLength), overwritten.</param>
    /// <param name="labelsOut">batch labels (count), overwritten.</param>
    /// <param name="offset">First entry of <paramref name="indices"/> this batch uses.</param>
    /// <param name="imageLength">Floats per image.</param>
    public static void BatchKernel(
        Index1D index, ArrayView<float> images, ArrayView<float> labels, ArrayView<float> indices,
        ArrayView<float> imagesOut, ArrayView<float> labelsOut, int offset, int imageLength)
    {
        var row = index.X / imageLength;
        var column = index.X - row * imageLength;
        var sample = (int)indices[offset + row];
        imagesOut[index] = images[(long)sample * imageLength + column];
        if (column == 0)
        {
            labelsOut[row] = labels[sample];
        }
    }
}
