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

        var result = LrRangeTest.Run(trainer, _train, _test, sweep, [sink], () => ticks++)[0];

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
            OptimizerStateTests.TrainBatch(trainer, batch, 1e-3);   // some state worth keeping: momentum or m and v, a step count
        }

        var before = trainer.Snapshot();
        var result = LrRangeTest.Run(trainer, _train, _test, new LrSweepOptions { Start = 1e-4, End = 10, Steps = 30 }, [new RecordingSink()])[0];
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

        var result = LrRangeTest.Run(trainer, _train, _test, sweep, [new RecordingSink()])[0];

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

        var result = LrRangeTest.Run(trainer, _train, _test, sweep, [new RecordingSink()])[0];

        Assert.Equal(LrStopReason.NonFiniteLoss, result.StopReason);
        Assert.False(double.IsFinite(result.Points[^1].Loss));
        Assert.All(result.Points.SkipLast(1), p => Assert.True(double.IsFinite(p.Loss)));
        Assert.True(result.Points.Count < sweep.Steps);
    }

    [Fact]
    public void Chunked_sweep_gives_the_curve_of_a_step_by_step_replay_and_stops_on_the_same_step()
    {
        // 40 batches per pass: chunks of 32 inside a pass, cut short by the pass end, and a stop inside a chunk.
        var train = new BatchLoader(TinyMnist.Create(320, seed: 7), Batch, shuffle: true, seed: 2);
        var sweep = new LrSweepOptions { Start = 1e-3, End = 1e2, Steps = 150, DivergenceFactor = 2 };
        using var trainer = Trainer(OptimizerKind.Sgd);
        var result = LrRangeTest.Run(trainer, train, _test, sweep, [new RecordingSink()])[0];
        Assert.InRange(result.Points.Count, LrRangeTest.ChunkSteps + train.BatchCount + 1, sweep.Steps - 1);
        Assert.NotEqual(0, result.Points.Count % LrRangeTest.ChunkSteps);
        Assert.Equal(LrStopReason.Diverged, result.StopReason);

        // The replay: one host batch and one loss read per step, as the sweep did before the device log.
        using var replay = Trainer(OptimizerKind.Sgd);
        var smoother = new LossSmoother(sweep.SmoothingBeta);
        var best = double.PositiveInfinity;
        var expected = new List<LrCurvePoint>();
        for (var pass = 0; expected.Count == 0 || expected[^1].Smoothed <= sweep.DivergenceFactor * best; pass++)
        {
            foreach (var batch in train.Epoch(pass))
            {
                var lr = sweep.LearningRate(expected.Count);
                var loss = OptimizerStateTests.TrainBatch(replay, batch, lr);
                var smoothed = smoother.Add(loss);
                expected.Add(new LrCurvePoint(expected.Count + 1, lr, loss, smoothed));
                best = Math.Min(best, smoothed);
                if (smoothed > sweep.DivergenceFactor * best)
                {
                    break;
                }
            }
        }

        Assert.Equal(expected, result.Points);
    }

    private Trainer Trainer(OptimizerKind kind, double momentum = 0) =>
        new(_backend, [new TrainingOptions { Optimizer = kind, Momentum = momentum, Schedule = new FixedLr(1e-3), Batch = Batch, Seed = 3 }]);
}
