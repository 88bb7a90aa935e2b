namespace GpuTrainer.Data;

/// <summary>
/// One batch of <see cref="Size"/> samples from a <see cref="BatchLoader"/> epoch: <see cref="Images"/> (Size,1,H,W)
/// normalised floats and <see cref="Labels"/> (Size) class indices as floats. Both are views of the loader's reused
/// buffers, valid until the loader produces the next batch.
/// </summary>
/// <param name="Index">Position of the batch within the epoch, from 0.</param>
/// <param name="Size">Number of samples; smaller than the batch size only for the last batch of an epoch.</param>
/// <param name="Images">Images (Size,1,H,W).</param>
/// <param name="Labels">Labels (Size).</param>
public readonly record struct Batch(int Index, int Size, ReadOnlyMemory<float> Images, ReadOnlyMemory<float> Labels);
