namespace GpuTrainer.Data;

/// <summary>
/// Cuts one epoch of an <see cref="MnistDataset"/> into batches of normalised floats: images (B,1,H,W) and labels
/// (B) as floats. With shuffling on, each epoch visits the samples in a permutation determined only by
/// (seed, epoch); with it off (evaluation) they come in file order. Every sample appears exactly once per epoch;
/// the last batch holds the remainder and reports its real size.
/// </summary>
/// <remarks>
/// Cheap by construction: normalisation is a 256-entry lookup table, the permutation is recomputed only when the
/// epoch changes, and batches are written into buffers the loader allocates once (or into the caller's spans
/// through <see cref="Fill"/>), so steady state allocates nothing per batch. Not thread-safe.
/// </remarks>
public sealed class BatchLoader
{
    /// <summary>Samples per batch unless told otherwise.</summary>
    public const int DefaultBatchSize = 128;

    private readonly float[] _lookup;   // 256 floats per channel
    private readonly int[] _order;
    private readonly float[] _images;
    private readonly float[] _labels;
    private int _orderEpoch = -1;

    /// <param name="dataset">The samples to serve.</param>
    /// <param name="batchSize">Samples per batch (the last batch of an epoch may hold fewer).</param>
    /// <param name="shuffle">True for training (a new seeded permutation each epoch), false for evaluation (file order).</param>
    /// <param name="seed">Seed of the permutations; the same seed and epoch always give the same order.</param>
    /// <param name="normalization">Level mapping; the data set's own (<see cref="MnistDataset.Normalization"/>) when null.</param>
    public BatchLoader(MnistDataset dataset, int batchSize = DefaultBatchSize, bool shuffle = true, int seed = 0, Normalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        Normalization = normalization ?? dataset.Normalization;
        _lookup = Normalization.Lookup(dataset.Channels);

        _order = new int[dataset.Count];
        ResetOrder();
        var capacity = Math.Min(batchSize, dataset.Count);
        _images = new float[capacity * dataset.ImageSize];
        _labels = new float[capacity];
    }

    /// <summary>The samples served.</summary>
    public MnistDataset Dataset { get; }

    /// <summary>Samples per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>True when each epoch has its own seeded permutation; false for file order.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of the per-epoch permutations.</summary>
    public int Seed { get; }

    /// <summary>Grey-level mapping applied to every pixel.</summary>
    public Normalization Normalization { get; }

    /// <summary>Batches per epoch: ceil(Count / BatchSize).</summary>
    public int BatchCount => CountBatches(Dataset.Count, BatchSize);

    /// <summary>Batches in one epoch over <paramref name="images"/> images: the last one may be short.</summary>
    public static int CountBatches(int images, int batchSize) => (images + batchSize - 1) / batchSize;

    /// <summary>Floats per image in a batch (C*H*W).</summary>
    public int ImageLength => Dataset.ImageSize;

    /// <summary>Number of samples in batch <paramref name="batchIndex"/> of an epoch.</summary>
    public int SizeOf(int batchIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchIndex, BatchCount);
        return Math.Min(BatchSize, Dataset.Count - batchIndex * BatchSize);
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> in order, written into buffers this loader reuses: consume each
    /// batch before asking for the next.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return Batches(epoch);
    }

    /// <summary>
    /// Writes batch <paramref name="batchIndex"/> of epoch <paramref name="epoch"/> into the caller's buffers: images
    /// (size,1,H,W) at the start of <paramref name="images"/>, labels (size) at the start of <paramref name="labels"/>.
    /// </summary>
    /// <returns>The batch's size.</returns>
    public int Fill(int epoch, int batchIndex, Span<float> images, Span<float> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var size = SizeOf(batchIndex);
        var pixels = Dataset.ImageSize;
        if (images.Length < size * pixels || labels.Length < size)
        {
            throw new ArgumentException(
                $"Batch {batchIndex} needs {size * pixels} image floats and {size} label floats, but the buffers hold {images.Length} and {labels.Length}.");
        }

        PrepareOrder(epoch);
        var source = Dataset.Images;
        var lookup = _lookup;
        var start = batchIndex * BatchSize;
        for (var i = 0; i < size; i++)
        {
            var sample = _order[start + i];
            Normalize(source.AsSpan(sample * pixels, pixels), images.Slice(i * pixels, pixels), lookup);

            labels[i] = Dataset.Labels[sample];
        }

        return size;
    }

    /// <summary>
    /// Maps whole images of levels to floats through a per-channel lookup (256 floats per channel, see
    /// <see cref="Normalization.Lookup"/>): each image's planes in turn take their channel's table.
    /// </summary>
    internal static void Normalize(ReadOnlySpan<byte> from, Span<float> to, float[] lookup)
    {
        var channels = lookup.Length / 256;
        var plane = channels == 1 ? from.Length : from.Length / channels;   // whole images: a multiple of C*H*W
        for (var start = 0; start < from.Length; start += plane)
        {
            var table = lookup.AsSpan(((start / plane) % channels) * 256, 256);
            var source = from.Slice(start, plane);
            var target = to.Slice(start, plane);
            for (var p = 0; p < source.Length; p++)
            {
                target[p] = table[source[p]];
            }
        }
    }

    /// <summary>
    /// The sample order of epoch <paramref name="epoch"/>: batch b holds samples Order[b*BatchSize ..] (Count entries in
    /// all). The span is this loader's own buffer, valid until an epoch with another order is asked for.
    /// </summary>
    public ReadOnlySpan<int> Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        PrepareOrder(epoch);
        return _order;
    }

    private IEnumerable<Batch> Batches(int epoch)
    {
        for (var b = 0; b < BatchCount; b++)
        {
            var size = Fill(epoch, b, _images, _labels);
            yield return new Batch(b, size, _images.AsMemory(0, size * ImageLength), _labels.AsMemory(0, size));
        }
    }

    /// <summary>Makes <see cref="_order"/> the permutation of <paramref name="epoch"/> (identity when not shuffling).</summary>
    private void PrepareOrder(int epoch)
    {
        if (!Shuffle || epoch == _orderEpoch)
        {
            return;
        }

        // Fisher-Yates from the identity, driven by SplitMix64 seeded from (seed, epoch) only, so the order never
        // depends on which epochs were visited before.
        ResetOrder();
        var state = ((ulong)(uint)Seed << 32) | (uint)epoch;
        for (var i = _order.Length - 1; i > 0; i--)
        {
            var j = (int)((SplitMix64(ref state) >> 32) * (ulong)(i + 1) >> 32);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }

        _orderEpoch = epoch;
    }

    private void ResetOrder()
    {
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
