using GpuTrainer.Data;
using Xunit;

namespace GpuTrainer.Tests.Data;

public sealed class BatchLoaderTests
{
    /// <summary>Pixel values kept as g/255 so a sample's id can be read back from its first two pixels.</summary>
    private static readonly Normalization Identity = new(0f, 1f);

    /// <summary>
    /// <paramref name="count"/> images of 2x3 whose pixels 0 and 1 encode the sample index (low, high byte) and whose
    /// label is index % 10.
    /// </summary>
    private static MnistDataset Numbered(int count)
    {
        var images = IdxFiles.Random(count * 6, seed: 11);
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            images[i * 6] = (byte)i;
            images[i * 6 + 1] = (byte)(i >> 8);
            labels[i] = (byte)(i % 10);
        }

        return new MnistDataset(images, labels, 2, 3);
    }

    /// <summary>The sample indices of one epoch in the order served, checking each label on the way.</summary>
    private static List<int> Order(BatchLoader loader, int epoch)
    {
        var order = new List<int>();
        foreach (var batch in loader.Epoch(epoch))
        {
            var images = batch.Images.Span;
            for (var i = 0; i < batch.Size; i++)
            {
                var sample = (int)MathF.Round(images[i * 6] * 255) | ((int)MathF.Round(images[i * 6 + 1] * 255) << 8);
                Assert.Equal(sample % 10, batch.Labels.Span[i]);
                order.Add(sample);
            }
        }

        return order;
    }

    [Fact]
    public void EpochServesEverySampleOnceAndEndsWithThePartialBatch()
    {
        var loader = new BatchLoader(Numbered(300), normalization: Identity, seed: 4);

        var sizes = loader.Epoch(0).Select(batch => (batch.Index, batch.Size, batch.Images.Length, batch.Labels.Length)).ToList();
        var order = Order(loader, 0);

        Assert.Equal([(0, 128, 768, 128), (1, 128, 768, 128), (2, 44, 264, 44)], sizes);
        Assert.Equal(Enumerable.Range(0, 300), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 300), order);
    }

    [Fact]
    public void OrderDependsOnlyOnSeedAndEpoch()
    {
        var dataset = Numbered(300);
        var loader = new BatchLoader(dataset, batchSize: 50, seed: 7, normalization: Identity);
        var twin = new BatchLoader(dataset, batchSize: 50, seed: 7, normalization: Identity);
        var other = new BatchLoader(dataset, batchSize: 50, seed: 8, normalization: Identity);

        var epoch1 = Order(loader, 1);
        var epoch2 = Order(loader, 2);

        Assert.NotEqual(epoch1, epoch2);
        Assert.Equal(epoch1, Order(loader, 1));
        Assert.Equal(epoch2, Order(twin, 2));
        Assert.Equal(epoch1, Order(twin, 1));
        Assert.NotEqual(epoch1, Order(other, 1));
    }

    [Fact]
    public void WithoutShufflingEveryEpochIsInFileOrder()
    {
        var loader = new BatchLoader(Numbered(300), batchSize: 64, shuffle: false, normalization: Identity);

        Assert.Equal(Enumerable.Range(0, 300), Order(loader, 0));
        Assert.Equal(Enumerable.Range(0, 300), Order(loader, 5));
    }

    [Fact]
    public void ImagesAreNormalisedWithMnistStatisticsByDefault()
    {
        var dataset = Numbered(256);
        var pixels = dataset.Images;
        var loader = new BatchLoader(dataset, batchSize: 256, shuffle: false);

        var batch = loader.Epoch(0).Single();

        Assert.Equal(0.1307f, loader.Normalization.Mean);
        Assert.Equal(0.3081f, loader.Normalization.Std);
        var expected = Array.ConvertAll(pixels, g => (g / 255.0 - 0.1307) / 0.3081);
        Reference.TestData.AssertClose(expected, batch.Images.Span, atol: 1e-6, rtol: 1e-6, "normalised images");
        Assert.Equal(-0.1307 / 0.3081, batch.Images.Span[0], 1e-6);
    }

    [Fact]
    public void NormalisationIsConfigurable()
    {
        var loader = new BatchLoader(new MnistDataset([0, 51, 255], [3], 1, 3), normalization: new Normalization(0.5f, 0.25f));

        var batch = loader.Epoch(0).Single();

        Assert.Equal([-2f, -1.2f, 2f], batch.Images.ToArray());
        Assert.Equal([3f], batch.Labels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Normalization(0f, 0f));
    }

    [Fact]
    public void FillWritesTheSameBatchesIntoCallerBuffers()
    {
        var loader = new BatchLoader(Numbered(300), batchSize: 128, seed: 3);
        var images = new float[128 * 6];
        var labels = new float[128];

        var fromEpoch = loader.Epoch(2).Select(b => (b.Images.ToArray(), b.Labels.ToArray())).ToList();
        for (var b = 0; b < loader.BatchCount; b++)
        {
            var size = loader.Fill(2, b, images, labels);
            Assert.Equal(loader.SizeOf(b), size);
            Assert.Equal(fromEpoch[b].Item1, images[..(size * 6)]);
            Assert.Equal(fromEpoch[b].Item2, labels[..size]);
        }

        Assert.Throws<ArgumentException>(() => loader.Fill(2, 0, new float[10], labels));
    }

    [Fact]
    public void SteadyStateAllocatesNothingPerBatch()
    {
        var loader = new BatchLoader(Numbered(2000), batchSize: 1, seed: 1);
        Drain(loader, 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var batches = Drain(loader, 1);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2000, batches);
        Assert.True(allocated < 2000, $"{allocated} bytes allocated over {batches} batches.");
    }

    private static int Drain(BatchLoader loader, int epoch)
    {
        var batches = 0;
        foreach (var batch in loader.Epoch(epoch))
        {
            batches += batch.Size;
        }

        return batches;
    }
}
