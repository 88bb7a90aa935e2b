using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.Training;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Optim;

/// <summary>Optimizer state and trainer snapshots round-trip bit for bit, so training after a restore repeats itself exactly.</summary>
public sealed class OptimizerStateTests
{
    public static TheoryData<OptimizerKind, double> Optimizers => new()
    {
        { OptimizerKind.Sgd, 0.9 },
        { OptimizerKind.Sgd, 0 },
        { OptimizerKind.Adam, 0 },
        { OptimizerKind.AdamW, 0 },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void RestoringASnapshotRepeatsTrainingExactly(OptimizerKind kind, double momentum)
    {
        using var backend = new CpuBackend(threads: 1);
        var options = new TrainingOptions { Optimizer = kind, Momentum = momentum, Schedule = new FixedLr(0.01), Batch = 8 };
        using var trainer = new Trainer(backend, [options]);
        var loader = new BatchLoader(TinyMnist.Create(24, seed: 3), 8, shuffle: true, seed: 1);
        TrainPass(trainer, loader, 0);
        var snapshot = trainer.Snapshot();

        var first = TrainPass(trainer, loader, 1);
        var afterFirst = trainer.Snapshot();
        trainer.Restore(0, snapshot);
        Assert.Equal(Bits(snapshot.Parameters), Bits(trainer.Model.ReadParameters()));
        AssertSameState(snapshot, trainer.Snapshot());

        var second = TrainPass(trainer, loader, 1);
        Assert.Equal(first, second);
        Assert.Equal(Bits(afterFirst.Parameters), Bits(trainer.Model.ReadParameters()));
        AssertSameState(afterFirst, trainer.Snapshot());
        Assert.NotEqual(snapshot.Parameters, afterFirst.Parameters);
    }

    [Fact]
    public void StateOfAnotherOptimizerKindIsRefusedWithOneSentence()
    {
        using var backend = new CpuBackend(threads: 1);
        using var sgd = new Trainer(backend, [new TrainingOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9, Schedule = new FixedLr(0.1), Batch = 4 }]);
        using var adam = new Trainer(backend, [new TrainingOptions { Optimizer = OptimizerKind.Adam, Schedule = new FixedLr(0.1), Batch = 4 }]);
        var error = Assert.Throws<ArgumentException>(() => sgd.Optimizer.RestoreState(0, adam.Optimizer.SaveState(0)));
        Assert.Contains("2 arenas", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertSameState(TrainerSnapshot expected, TrainerSnapshot actual)
    {
        Assert.Equal(expected.Step, actual.Step);
        Assert.Equal(expected.Optimizer.Steps, actual.Optimizer.Steps);
        Assert.Equal(expected.Optimizer.Buffers.Count, actual.Optimizer.Buffers.Count);
        for (var i = 0; i < expected.Optimizer.Buffers.Count; i++)
        {
            Assert.Equal(Bits(expected.Optimizer.Buffers[i]), Bits(actual.Optimizer.Buffers[i]));
        }
    }

    /// <summary>The raw bits, so -0 differs from 0 and every NaN payload counts.</summary>
    internal static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static List<double> TrainPass(Trainer trainer, BatchLoader loader, int epoch) => [.. loader.Epoch(epoch).Select(batch => TrainBatch(trainer, batch, 0.01))];

    /// <summary>One batch of a lone trainer at <paramref name="lr"/>; its mean loss.</summary>
    internal static double TrainBatch(Trainer trainer, Batch batch, double lr)
    {
        var loss = new double[1];
        trainer.TrainBatch(batch, [lr], loss);
        return loss[0];
    }
}
