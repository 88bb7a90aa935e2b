using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.Compute;
using GpuTrainer.Tests.Reference;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>
/// Every member of a <see cref="Trainer"/> of several members must end bit for bit as the same configuration trained
/// alone (one member) with the same seed: per-step losses, test metrics, epoch results and final parameters. SGD (plain,
/// with momentum, dampening or Nesterov, with weight decay) and Adam/AdamW members share the model; one member diverges in
/// its second epoch and must be masked out, with its lone run's message and metrics up to there, while the others go on
/// unchanged. Small square images keep ILGPU's CPU accelerator quick; it takes smaller ones still and fewer members.
/// </summary>
public abstract class TrainerMembersTests
{
    private const int Batch = 12, Seed = 5;
    private MnistDataset? _train, _test;

    protected abstract IBackend Backend { get; }

    /// <summary>Side of the square images (at least 12, LeNet-5's smallest).</summary>
    protected virtual int Side => 16;

    /// <summary>Training images (9 batches of 12 by default); a third as many test images.</summary>
    protected virtual int Images => 100;

    /// <summary>K, the members of the model under test (one of them diverges).</summary>
    protected abstract int Members { get; }

    /// <summary>The model's description; null for LeNet-5 (the trainer's default) on single-channel images.</summary>
    protected virtual string? Model => null;

    /// <summary>Channels of the images.</summary>
    protected virtual int Channels => 1;

    private Trainer Make(TrainingOptions[] members) => Model is null
        ? new Trainer(Backend, members, Side)
        : new Trainer(Backend, members, GpuTrainer.Nn.ModelDescription.Resolve(Model), new GpuTrainer.Nn.SampleShape(Channels, Side, Side), MnistDataset.Classes);

    private MnistDataset Train => _train ??= Random(Images, 1);
    private MnistDataset Test => _test ??= Random(Images / 3, 2);

    /// <summary>
    /// lr 0.02 up to the second batch of the second epoch, then 1e30: the next loss overflows, early in the second epoch, so
    /// the member's partial metrics hold exactly one epoch.
    /// </summary>
    private sealed class BlowUp(int batchesPerEpoch) : ILrSchedule
    {
        public double LearningRate(long step) => step <= batchesPerEpoch ? 0.02 : 1e30;
    }

    private static TrainingOptions Options(OptimizerKind optimizer, ILrSchedule schedule, double momentum = 0, double weightDecay = 0,
        ScheduleUnit unit = ScheduleUnit.Epoch, double dampening = 0, bool nesterov = false) =>
        new()
        {
            Optimizer = optimizer, Schedule = schedule, ScheduleUnit = unit, Momentum = momentum, WeightDecay = weightDecay, Dampening = dampening,
            Nesterov = nesterov, Epochs = 2, Batch = Batch, Seed = Seed,
        };

    // The kinds of member, cycled through with rates scaled by 1.1 each round; the second member diverges.
    private TrainingOptions Member(int k, double scale) => (k % 6) switch
    {
        0 => Options(OptimizerKind.Sgd, new FixedLr(0.05 * scale), momentum: 0.9, nesterov: true),
        1 when k == 1 => Options(OptimizerKind.Sgd, new BlowUp(BatchLoader.CountBatches(Images, Batch)), unit: ScheduleUnit.Batch),
        1 => Options(OptimizerKind.Sgd, new FixedLr(0.03 * scale), momentum: 0.9),
        2 => Options(OptimizerKind.Adam, new StepLr(2e-3 * scale, 1, 0.5)),
        3 => Options(OptimizerKind.Sgd, new StepLr(0.1 * scale, 1, 0.5), momentum: 0.5, dampening: 0.3, weightDecay: 1e-3),
        4 => Options(OptimizerKind.AdamW, new FixedLr(1e-3 * scale), weightDecay: 0.05),
        _ => Options(OptimizerKind.Sgd, new FixedLr(0.02 * scale)),
    };

    [Fact]
    public void Every_member_of_a_mixed_model_with_one_diverging_ends_bit_for_bit_as_its_lone_run()
    {
        var members = Enumerable.Range(0, Members).Select(k => Member(k, Math.Pow(1.1, k / 6))).ToArray();
        var sinks = members.Select(_ => new ListSink()).ToArray();
        using var group = Make(members);
        var histories = group.Fit(Loader(Train, shuffle: true), Loader(Test, shuffle: false), sinks);

        for (var k = 0; k < members.Length; k++)
        {
            var alone = new ListSink();
            using var trainer = Make([members[k]]);
            var history = trainer.Fit(Loader(Train, shuffle: true), Loader(Test, shuffle: false), [alone])[0];
            Assert.Equal(trainer.Error(0), group.Error(k));
            Assert.Equal(k == 1, group.Error(k) is not null);
            Assert.Equal(alone.Rows.Select(r => (r.Tag, r.Step)), sinks[k].Rows.Select(r => (r.Tag, r.Step)));
            Same($"member {k} metrics", [.. alone.Rows.Select(r => r.Value)], [.. sinks[k].Rows.Select(r => r.Value)]);
            Same($"member {k} parameters", trainer.Model.ReadParameters(), group.Model.ReadParameters(k));
            Same($"member {k} history", [.. history.SelectMany(Figures)], [.. histories[k].SelectMany(Figures)]);
            Assert.Equal(k == 1 ? 1 : 2, histories[k].Count);   // the diverged one: the epoch that ended before the loss blew up
        }
    }

    private static double[] Figures(EpochResult r) => [r.Epoch, r.TrainLoss, r.TestLoss, r.TestAccuracy, r.LearningRate];

    private static void Same(string what, float[] expected, float[] actual) =>
        Assert.True(expected.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual.Select(BitConverter.SingleToInt32Bits)), $"{what} differ");

    private static void Same(string what, double[] expected, double[] actual) =>
        Assert.True(expected.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(actual.Select(BitConverter.DoubleToInt64Bits)), $"{what} differ");

    private static BatchLoader Loader(MnistDataset data, bool shuffle) => new(data, Batch, shuffle, Seed);

    private MnistDataset Random(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Channels * Side * Side];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % MnistDataset.Classes)).ToArray();
        for (var i = 0; i < count; i++)
        {
            pixels.AsSpan((i * Channels * Side * Side) + (labels[i] * Side), Side).Fill(255);   // a learnable band per class (first channel)
        }

        return new MnistDataset(pixels, labels, Side, Side, Channels, Channels == 3 ? Normalization.Cifar10 : null);
    }

    private sealed class ListSink : IMetricSink
    {
        public List<(string Tag, long Step, double Value)> Rows { get; } = [];

        public void Scalar(string tag, long step, double value) => Rows.Add((tag, step, value));

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>The managed backend with two threads: 16 members spread over both.</summary>
public sealed class CpuTrainerMembersTests : TrainerMembersTests
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);

    protected override int Members => 16;
}

/// <summary>ILGPU's CPU accelerator: 4 members on 12x12 images, 3 batches an epoch.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuTrainerMembersTests(IlgpuCpuFixture fixture) : TrainerMembersTests
{
    protected override IBackend Backend => fixture.Backend;

    protected override int Members => 4;

    protected override int Side => 12;

    protected override int Images => 36;
}

/// <summary>
/// The managed backend, a described model on 3-channel images: a strided, padded conv whose fused ReLU feeds average
/// pooling, a padded conv into max pooling; 6 members, one of each kind.
/// </summary>
public sealed class CpuDescribedTrainerMembersTests : TrainerMembersTests
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);

    protected override int Members => 6;

    protected override string Model => "conv 6 3 stride=2 padding=1; relu; avgpool 2; conv 8 kernel=3 padding=1; relu; maxpool 2; flatten; linear 10";

    protected override int Channels => 3;
}
