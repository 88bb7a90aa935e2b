using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.Optim;
using GpuTrainer.Tests.Training;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.LrFinder;

/// <summary>The sweep on a real (tiny) model: what it records, when it stops, and that it leaves the trainer untouched.</summary>
public sealed class LrRangeTestTests : IDisposable
{
    private const int Batch = 8;
    private readonly CpuBackend _backend = new(threads: 1);
    private readonly BatchLoader _train = new(TinyMnist.Create(64, seed: 5), Batch, shuffle: true, seed: 1);   // 8 batches per pass
    private readonly BatchLoader _test = new(TinyMnist.Create(16, seed: 6), Batch, shuffle: false);

    public void Dispose() => _backend.Dispose();

    [Theory]
    [InlineData(20, new[] { 8, 16 })]
    [InlineData(16, new[] { 8, 16 })]
    public void RecordsEveryStepAndTheTestLossAfterEachCompletePass(int steps, int[] passEnds)
    {
        using var trainer = Trainer(OptimizerKind.Sgd);
        var sink = new RecordingSink();
        var sweep = new LrSweepOptions { Start = 1e-4, End = 1e-2, Steps = steps };
        var ticks = 0;

        var result = LrRangeTest.Run(trainer, _train, _test, sweep, sink, () => ticks++);

        Assert.Equal(LrStopReason.Completed, result.StopReason);
        Assert.Equal(steps, result.Points.Count);
        Assert.Equal(steps, ticks);
        Assert.Equal(Enumerable.Range(0, steps).Select(sweep.LearningRate), result.Points.Select(p => p.Lr));
        Assert.Equal(Enumerable.Range(1, steps), result.Points.Select(p => p.Step));
        Assert.Equal(result.Points.Select(p => ((long)p.Step, p.Lr)), sink.Of(MetricTags.LrTrain));
        Assert.Equal(result.Points.Select(p => ((long)p.Step, p.Loss)), sink.Of(MetricTags.LossTrain));
        Assert.Equal(passEnds, result.Passes.Select(p => p.Step));
        Assert.Equal(result.Passes.Select(p => ((long)p.Step, p.TestLoss)), sink.Of(MetricTags.LossTest));
        Assert.All(result.Passes, p => Assert.InRange(p.TestLoss, 0.01, 10));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.9)]
    [InlineData(OptimizerKind.Adam, 0.0)]
    public void LeavesParametersOptimizerStateAndStepBitForBit(OptimizerKind kind, double momentum)
    {
        using var trainer = Trainer(kind, momentum);
        foreach (var batch in _train.Epoch(0))
        {
            trainer.TrainBatch(batch, 1e-3);   // some state worth keeping: momentum or m and v, a step count
        }

        var before = trainer.Snapshot();
        var result = LrRangeTest.Run(trainer, _train, _test, new LrSweepOptions { Start = 1e-4, End = 10, Steps = 30 }, new RecordingSink());
        var after = trainer.Snapshot();

        Assert.True(result.Points.Count > 1);
        Assert.Equal(OptimizerStateTests.Bits(before.Parameters), OptimizerStateTests.Bits(after.Parameters));
        OptimizerStateTests.AssertSameState(before, after);
    }

    [Fact]
    public void StopsWhenTheSmoothedLossPassesTheDivergenceFactorTimesItsBest()
    {
        using var trainer = Trainer(OptimizerKind.Sgd);
        var sweep = new LrSweepOptions { Start = 1e-2, End = 1e3, Steps = 200, DivergenceFactor = 1.5 };

        var result = LrRangeTest.Run(trainer, _train, _test, sweep, new RecordingSink());

        Assert.Equal(LrStopReason.Diverged, result.StopReason);
        Assert.InRange(result.Points.Count, 2, sweep.Steps - 1);
        var smoothed = result.Points.Select(p => p.Smoothed).ToList();
        for (var i = 0; i < smoothed.Count - 1; i++)
        {
            Assert.True(smoothed[i] <= 1.5 * smoothed.Take(i + 1).Min(), $"step {i + 1} should have stopped the sweep");
        }

        Assert.True(smoothed[^1] > 1.5 * smoothed.Min());
    }

    [Fact]
    public void StopsAtTheFirstNonFiniteLoss()
    {
        using var trainer = Trainer(OptimizerKind.Sgd);
        var sweep = new LrSweepOptions { Start = 1e6, End = 1e9, Steps = 100, DivergenceFactor = double.MaxValue };

        var result = LrRangeTest.Run(trainer, _train, _test, sweep, new RecordingSink());

        Assert.Equal(LrStopReason.NonFiniteLoss, result.StopReason);
        Assert.False(double.IsFinite(result.Points[^1].Loss));
        Assert.All(result.Points.SkipLast(1), p => Assert.True(double.IsFinite(p.Loss)));
        Assert.True(result.Points.Count < sweep.Steps);
    }

    private Trainer Trainer(OptimizerKind kind, double momentum = 0) =>
        new(_backend, new TrainingOptions { Optimizer = kind, Momentum = momentum, Schedule = new FixedLr(1e-3), Batch = Batch, Seed = 3 });
}
