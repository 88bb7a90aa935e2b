using GpuTrainer.Compute;
using GpuTrainer.Data;

namespace GpuTrainer.Training;

/// <summary>
/// A training set resident on a backend, so that a step gathers its batch on the device instead of uploading it:
/// images (Count, 1, H, W) normalised once as the loader would, labels (Count) as floats, and one epoch's sample
/// order (Count) as integer-valued floats, uploaded once per epoch. Batch b of an epoch holds exactly the samples,
/// in the order, that <see cref="BatchLoader.Fill"/> gives, so every backend trains on the same sequence.
/// On a GPU the full MNIST training set takes 60,000 x 784 floats (188 MB); the managed backend's buffers are
/// host memory, so there it is the one normalised copy.
/// </summary>
public sealed class ResidentDataset : IDisposable
{
    // Images normalised and uploaded per chunk, so the host never holds a second full float copy.
    private const int UploadChunk = 4096;

    private readonly IBackend _backend;
    private readonly DeviceBuffer _images;
    private readonly DeviceBuffer _labels;
    private readonly DeviceBuffer _order;
    private readonly float[] _hostOrder;
    private int _orderEpoch = -1;

    /// <param name="backend">Where the data lives.</param>
    /// <param name="loader">The loader whose data set, normalisation, batch size and seeded order this copy reproduces.</param>
    public ResidentDataset(IBackend backend, BatchLoader loader)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(loader);
        var data = loader.Dataset;
        if (data.Count >= 1 << 24)
        {
            throw new ArgumentException($"A resident data set holds fewer than 2^24 samples (float indices are exact below), got {data.Count}.");
        }

        _backend = backend;
        Loader = loader;
        var pixels = loader.ImageLength;
        _images = backend.Allocate(checked(data.Count * pixels));
        _labels = backend.Allocate(data.Count);
        _order = backend.Allocate(data.Count);
        _hostOrder = new float[data.Count];

        var lookup = loader.Normalization.Lookup(data.Channels);

        var chunk = new float[Math.Min(UploadChunk, data.Count) * pixels];
        for (var start = 0; start < data.Count; start += UploadChunk)
        {
            var count = Math.Min(UploadChunk, data.Count - start);
            var floats = chunk.AsSpan(0, count * pixels);
            var bytes = data.Images.AsSpan(start * pixels, count * pixels);
            BatchLoader.Normalize(bytes, floats, lookup);

            backend.Upload(floats, _images.Slice(start * pixels, count * pixels));
        }

        var labels = new float[data.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = data.Labels[i];
        }

        backend.Upload(labels, _labels.All);
    }

    /// <summary>The loader this copy reproduces.</summary>
    public BatchLoader Loader { get; }

    /// <summary>
    /// <paramref name="current"/> when it is the copy of <paramref name="loader"/>'s data; otherwise disposes it and makes
    /// that copy (a trainer's resident data: made on first use, remade when another loader comes).
    /// </summary>
    internal static ResidentDataset For(IBackend backend, BatchLoader loader, ref ResidentDataset? current)
    {
        if (!ReferenceEquals(current?.Loader, loader))
        {
            current?.Dispose();
            current = null;
            current = new ResidentDataset(backend, loader);
        }

        return current;
    }

    /// <summary>Uploads the sample order of <paramref name="epoch"/> unless it is already on the device (once per epoch).</summary>
    public void PrepareEpoch(int epoch)
    {
        if (epoch == _orderEpoch)
        {
            return;
        }

        var order = Loader.Order(epoch);
        for (var i = 0; i < order.Length; i++)
        {
            _hostOrder[i] = order[i];
        }

        _backend.Upload(_hostOrder, _order.All);
        _orderEpoch = epoch;
    }

    /// <summary>
    /// Queues the gather of batch <paramref name="batchIndex"/> of the prepared epoch into images (size,1,H,W) and labels (size)
    /// at the start of the given views; returns the batch's size. One launch, no host work.
    /// </summary>
    public int Gather(int batchIndex, Tensor images, Tensor labels)
    {
        if (_orderEpoch < 0)
        {
            throw new InvalidOperationException("PrepareEpoch must upload an epoch's order before batches are gathered.");
        }

        var size = Loader.SizeOf(batchIndex);
        _backend.GatherBatch(_images.All, _labels.All, _order.All, batchIndex * Loader.BatchSize, size, Loader.ImageLength, images, labels);
        return size;
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
        _order.Dispose();
    }
}
