using GpuTrainer.Data;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Data;

/// <summary>CIFAR-10's binary batches on generated files: read in CHW order, normalised per channel, every bad file one sentence.</summary>
public sealed class Cifar10ReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_batches_load_as_3x32x32_images_in_file_order_with_their_labels()
    {
        var folder = CifarFiles.Write(_temp.File("cifar"), perBatch: 4, test: 6);

        var data = RunData.Load(folder);

        Assert.Equal(new GpuTrainer.Nn.SampleShape(3, 32, 32), data.Shape);
        Assert.Equal((20, 6), (data.Train.Count, data.Test.Count));
        var second = CifarFiles.Batch(4, 2);
        Assert.Equal(second[0], data.Train.Labels[4]);
        Assert.Equal(second.AsSpan(1, Cifar10Reader.ImageBytes).ToArray(), data.Train.Images.AsSpan(4 * 3072, 3072).ToArray());
        Assert.Equal(Normalization.Cifar10, data.Train.Normalization);
        Assert.Equal(new Normalization([(0.4914f, 0.2470f), (0.4822f, 0.2435f), (0.4465f, 0.2616f)]), data.Train.Normalization);
        Assert.NotEqual(Normalization.Mnist, data.Train.Normalization);
        Assert.Equal(new Normalization(0.1307f, 0.3081f), Normalization.Mnist);
    }

    [Fact]
    public void The_unpacked_folder_is_found_inside_the_data_directory()
    {
        CifarFiles.Write(Path.Combine(_temp.File("download"), Cifar10Reader.Folder));
        Assert.Equal((40, 10), (RunData.Load(_temp.File("download")).Train.Count, RunData.Load(_temp.File("download")).Test.Count));
    }

    [Fact]
    public void Each_channel_takes_its_own_mean_and_std()
    {
        var folder = CifarFiles.Write(_temp.File("cifar"), perBatch: 1, test: 1);
        var data = RunData.Load(folder);
        var loader = new BatchLoader(data.Test, 1, shuffle: false);
        var batch = loader.Epoch(0).Single();
        var image = data.Test.Images;
        for (var c = 0; c < 3; c++)
        {
            var (mean, std) = Normalization.Cifar10.Channels[c];
            var p = (c * 1024) + 517;
            Assert.Equal((float)((image[p] / 255.0 - mean) / std), batch.Images.Span[p]);
        }
    }

    [Theory]
    [InlineData("truncated", "data_batch_3.bin is truncated or padded: its 24,577 bytes are not a whole number of 3,073-byte records")]
    [InlineData("padded", "data_batch_3.bin is truncated or padded: its 24,585 bytes")]
    [InlineData("empty", "data_batch_3.bin is empty")]
    [InlineData("label", "data_batch_3.bin holds label 10 in record 2, outside the 10 classes 0 to 9.")]
    [InlineData("missing", "lacks data_batch_3.bin; it should hold data_batch_1.bin")]
    public void A_bad_batch_is_one_sentence(string damage, string fragment)
    {
        var folder = CifarFiles.Write(_temp.File("cifar"));
        var path = Path.Combine(folder, "data_batch_3.bin");
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(path, bytes[..^7]); break;
            case "padded": File.WriteAllBytes(path, [.. bytes, 0]); break;
            case "empty": File.WriteAllBytes(path, []); break;
            case "label": bytes[2 * 3073] = 10; File.WriteAllBytes(path, bytes); break;
            default: File.Delete(path); break;
        }

        var e = Assert.Throws<DataFormatException>(() => RunData.Load(folder));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
