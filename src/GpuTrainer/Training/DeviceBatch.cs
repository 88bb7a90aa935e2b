using GpuTrainer.Compute;
using GpuTrainer.Data;

namespace GpuTrainer.Training;

/// <summary>
/// Device-side staging for one batch: images (MaxBatch,1,H,W) and labels (MaxBatch) as floats, gathered on the
/// device from a <see cref="ResidentDataset"/> (training) or uploaded from a host loader's buffers (evaluation, tests).
/// </summary>
internal sealed class DeviceBatch : IDisposable
{
    private readonly IBackend _backend;
    private readonly DeviceBuffer _images;
    private readonly DeviceBuffer _labels;
    private readonly int _sampleSize;

    public DeviceBatch(IBackend backend, int maxBatch, int sampleSize)
    {
        _backend = backend;
        _sampleSize = sampleSize;
        _images = backend.Allocate(maxBatch * sampleSize);
        _labels = backend.Allocate(maxBatch);
    }

    public Tensor Images { get; private set; }
    public Tensor Labels { get; private set; }
    public int Count { get; private set; }

    public void Upload(ReadOnlySpan<float> images, ReadOnlySpan<float> labels, int count)
    {
        Images = _images.Slice(0, count * _sampleSize);
        Labels = _labels.Slice(0, count);
        _backend.Upload(images[..(count * _sampleSize)], Images);
        _backend.Upload(labels[..count], Labels);
        Count = count;
    }

    /// <summary>Gathers batch <paramref name="batchIndex"/> of <paramref name="data"/>'s prepared epoch on the device; returns its size.</summary>
    public int Gather(ResidentDataset data, int batchIndex)
    {
        var size = data.Loader.SizeOf(batchIndex);
        Images = _images.Slice(0, size * _sampleSize);
        Labels = _labels.Slice(0, size);
        Count = size;
        data.Gather(batchIndex, Images, Labels);
        return size;
    }

    /// <summary>
    /// Uploads every batch of <paramref name="data"/>'s first epoch in turn and calls <paramref name="use"/>(count) after each
    /// upload; the loader's batches may be larger than this staging area, so they go up in chunks of at most its size.
    /// </summary>
    public void UploadEach(BatchLoader data, Action<int> use)
    {
        var maxBatch = _labels.Length;
        foreach (var batch in data.Epoch(0))
        {
            for (var start = 0; start < batch.Size; start += maxBatch)
            {
                var count = Math.Min(maxBatch, batch.Size - start);
                Upload(batch.Images.Span.Slice(start * _sampleSize, count * _sampleSize), batch.Labels.Span.Slice(start, count), count);
                use(count);
            }
        }
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
