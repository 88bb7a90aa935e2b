using GpuTrainer.Compute;

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

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
