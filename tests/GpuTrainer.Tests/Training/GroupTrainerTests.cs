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
/// Every member of a <see cref="GroupTrainer"/> must end as the same configuration trained alone with the same seed:
/// per-step losses, test metrics and final parameters. SGD (with and without momentum) and Adam/AdamW members share
/// a group; one member diverges in its second epoch and must be masked out while the others go on unchanged.
/// Small square images keep ILGPU's CPU accelerator quick; it takes smaller ones still (<see cref="Side"/>, <see cref="Images"/>).
/// </summary>
public abstract class GroupTrainerTests
{
    private const int Batch = 12, Seed = 5;
    private MnistDataset? _train, _test;

    protected abstract IBackend Backend { get; }

    /// <summary>Side of the square images (at least 12, LeNet-5's smallest).</summary>
    protected virtual int Side => 16;

    /// <summary>Training images (9 batches of 12 by default; the diverging member needs them); a third as many test images.</summary>
    protected virtual int Images => 100;

    private MnistDataset Train => _train ??= Random(Images, 1);
    private MnistDataset Test => _test ??= Random(Images / 3, 2);

    /// <summary>True when the group must match bit for bit; otherwise within the golden tolerances (1e-5 + 1e-4 |ref|).</summary>
    protected abstract bool Exact { get; }

    /// <summary>
    /// lr 0.02 up to the second batch of the second epoch, then 1e30: the next loss overflows, early in the second epoch, so
    /// the member's partial metrics hold exactly one epoch.
    /// </summary>
    private sealed class BlowUp(int batchesPerEpoch) : ILrSchedule
    {
        public double LearningRate(long step) => step <= batchesPerEpoch ? 0.02 : 1e30;
    }

    /// <summary>Members of the diverging group: a good one, the diverging one, then up to two more good ones.</summary>
    protected virtual int DivergingGroupSize => 4;

    private static TrainingOptions Options(OptimizerKind optimizer, ILrSchedule schedule, double momentum = 0, double weightDecay = 0,
        ScheduleUnit unit = ScheduleUnit.Epoch) =>
        new() { Optimizer = optimizer, Schedule = schedule, ScheduleUnit = unit, Momentum = momentum, WeightDecay = weightDecay, Epochs = 2, Batch = Batch, Seed = Seed };

    private static readonly TrainingOptions[] Mixed =
    [
        Options(OptimizerKind.Sgd, new FixedLr(0.05), momentum: 0.9),
        Options(OptimizerKind.Adam, new StepLr(2e-3, 1, 0.5)),
        Options(OptimizerKind.Sgd, new StepLr(0.1, 1, 0.5), weightDecay: 1e-3),
        Options(OptimizerKind.AdamW, new FixedLr(1e-3), weightDecay: 0.05),
    ];

    [Fact]
    public void A_group_mixing_sgd_and_adam_trains_every_member_as_it_would_train_alone() => CheckGroup(Mixed, diverging: -1);

    /// <summary>One member diverges in the second epoch; run as a [Fact] by each backend that can train to a non-finite loss.</summary>
    protected void Diverging_member_is_masked_out_and_the_others_go_on()
    {
        var blowUp = Options(OptimizerKind.Sgd, new BlowUp(BatchLoader.CountBatches(Images, Batch)), unit: ScheduleUnit.Batch);
        TrainingOptions[] members = [Mixed[0], blowUp, Mixed[1], Mixed[3]];
        CheckGroup(members[..DivergingGroupSize], diverging: 1);
    }

    private void CheckGroup(TrainingOptions[] members, int diverging)
    {
        var sinks = members.Select(_ => new ListSink()).ToArray();
        using var group = new GroupTrainer(Backend, members, Side);
        var histories = members.Select(_ => new List<EpochResult>()).ToArray();
        group.Fit(Loader(Train, shuffle: true), Loader(Test, shuffle: false), sinks, (k, r) => histories[k].Add(r));

        for (var k = 0; k < members.Length; k++)
        {
            var alone = new ListSink();
            using var trainer = new Trainer(Backend, members[k], Side);
            IReadOnlyList<EpochResult>? history = null;
            string? error = null;
            try
            {
                history = trainer.Fit(Loader(Train, shuffle: true), Loader(Test, shuffle: false), alone);
            }
            catch (TrainingDivergedException e)
            {
                error = e.Message;
            }

            Assert.Equal(error, group.Error(k));
            Assert.Equal(k == diverging, error is not null);
            Assert.Equal(alone.Rows.Select(r => (r.Tag, r.Step)), sinks[k].Rows.Select(r => (r.Tag, r.Step)));
            Same($"member {k} metrics", [.. alone.Rows.Select(r => r.Value)], [.. sinks[k].Rows.Select(r => r.Value)]);
            Same($"member {k} parameters", [.. trainer.Model.ReadParameters().Select(v => (double)v)], group.Group.ReadParameters(k));
            if (history is not null)
            {
                Same($"member {k} history", [.. history.SelectMany(Figures)], [.. histories[k].SelectMany(Figures)]);
            }
            else
            {
                Assert.Single(histories[k]);   // the partial metrics: the one epoch that ended before the loss blew up
            }
        }
    }

    private static double[] Figures(EpochResult r) => [r.Epoch, r.TrainLoss, r.TestLoss, r.TestAccuracy, r.LearningRate];

    private void Same(string what, double[] expected, ReadOnlySpan<float> actual)
    {
        if (Exact)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits((float)expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"{what}[{i}]: alone {expected[i]:R}, in the group {actual[i]:R}");
            }
        }
        else
        {
            TestData.AssertClose(expected, actual, 1e-5, 1e-4, what);
        }
    }

    private void Same(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        if (Exact)
        {
            Assert.Equal(expected, actual);
        }
        else
        {
            TestData.AssertClose(expected, [.. actual.Select(v => (float)v)], 1e-5, 1e-4, what);
        }
    }

    private static BatchLoader Loader(MnistDataset data, bool shuffle) => new(data, Batch, shuffle, Seed);

    private MnistDataset Random(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Side * Side];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % MnistDataset.Classes)).ToArray();
        for (var i = 0; i < count; i++)
        {
            pixels.AsSpan((i * Side * Side) + (labels[i] * Side), Side).Fill(255);   // a learnable band per class
        }

        return new MnistDataset(pixels, labels, Side, Side);
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

/// <summary>The managed backend with two threads: a group of four spreads its models over both, and must match bit for bit.</summary>
public sealed class CpuGroupTrainerTests : GroupTrainerTests
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);

    protected override bool Exact => true;

    [Fact]
    public void A_member_that_diverges_is_masked_out_and_the_others_go_on() => Diverging_member_is_masked_out_and_the_others_go_on();
}

/// <summary>ILGPU's CPU accelerator, within the golden tolerances, on 12x12 images, 3 batches an epoch.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuGroupTrainerTests(IlgpuCpuFixture fixture) : GroupTrainerTests
{
    protected override IBackend Backend => fixture.Backend;

    protected override bool Exact => false;

    protected override int Side => 12;

    protected override int Images => 36;

    /// <summary>A good member and the diverging one: the masking is what this checks; the mixed group checks the rest.</summary>
    protected override int DivergingGroupSize => 2;

    [Fact]
    public void A_member_that_diverges_is_masked_out_and_the_others_go_on() => Diverging_member_is_masked_out_and_the_others_go_on();
}
