using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;
using GpuTrainer.Tests.Optim;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>Short real training runs on the embedded MNIST sample with the managed CPU backend: the model must learn.</summary>
public sealed class TrainingEndToEndTests
{
    private static readonly MnistDataset Train = MnistDataset.LoadSplit(RepoPaths.MnistSample, train: true);
    private static readonly MnistDataset Test = MnistDataset.LoadSplit(RepoPaths.MnistSample, train: false);

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

    [Theory]
    [InlineData(OptimizerKind.Adam, 0.0054723, 0.0, 0.93)]
    [InlineData(OptimizerKind.Sgd, 0.05, 0.9, 0.90)]
    public void One_epoch_on_the_sample_learns_to_read_digits(OptimizerKind optimizer, double lr, double momentum, double minAccuracy)
    {
        using var backend = new CpuBackend(threads: 2);
        var options = new TrainingOptions { Optimizer = optimizer, Schedule = new FixedLr(lr), Momentum = momentum, Epochs = 1, Seed = 3 };
        using var trainer = new Trainer(backend, [options]);
        var sink = new ListSink();

        var results = trainer.Fit(new BatchLoader(Train, 128, shuffle: true, seed: 3), new BatchLoader(Test, 500, shuffle: false), [sink])[0];

        var losses = sink.Rows.Where(r => r.Tag == MetricTags.LossTrain).Select(r => r.Value).ToList();
        Assert.Equal((Train.Count + 127) / 128, losses.Count);
        Assert.True(losses.Take(5).Average() > 2 * losses.TakeLast(5).Average(), $"loss fell only from {losses.Take(5).Average():F3} to {losses.TakeLast(5).Average():F3}");
        Assert.InRange(results[0].TestAccuracy, minAccuracy, 1.0);
        Assert.All(sink.Rows.Where(r => r.Tag == MetricTags.LrTrain), r => Assert.Equal(lr, r.Value));
        Assert.Contains(sink.Rows, r => r.Tag == MetricTags.AccuracyTest && r.Step == 1 && r.Value == results[0].TestAccuracy);
    }

    [Fact]
    public void Same_seed_gives_the_same_run_and_evaluation_leaves_parameters_alone()
    {
        float[] Run()
        {
            using var backend = new CpuBackend(threads: 2);
            using var trainer = new Trainer(backend, [new TrainingOptions { Schedule = new FixedLr(1e-3), Epochs = 1, Seed = 11 }]);
            var loader = new BatchLoader(Train, 128, shuffle: true, seed: 11);
            foreach (var batch in loader.Epoch(0).Take(5))
            {
                OptimizerStateTests.TrainBatch(trainer, batch, 1e-3);
            }

            var before = trainer.Model.ReadParameters();
            trainer.Evaluate(new BatchLoader(Test, 256, shuffle: false));
            Assert.Equal(before, trainer.Model.ReadParameters());
            return before;
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void A_huge_learning_rate_diverges_with_one_clear_sentence()
    {
        using var backend = new CpuBackend(threads: 2);
        using var trainer = new Trainer(backend, [new TrainingOptions { Optimizer = OptimizerKind.Sgd, Schedule = new FixedLr(1e6), Epochs = 2 }]);
        var results = trainer.Fit(new BatchLoader(Train, 128, seed: 1), new BatchLoader(Test, 500, shuffle: false), [new ListSink()])[0];
        Assert.StartsWith("Training diverged at epoch 1, step ", trainer.Error(0), StringComparison.Ordinal);
        Assert.Empty(results);   // it stopped: no epoch ended
    }

    [Fact]
    public void Divergence_names_the_first_non_finite_step_and_logs_the_steps_before_it()
    {
        var options = new TrainingOptions { Optimizer = OptimizerKind.Sgd, Schedule = new FixedLr(1e6), Epochs = 1 };
        var loader = new BatchLoader(Train, 128, seed: 1);
        using var backend = new CpuBackend(threads: 2);
        using var trainer = new Trainer(backend, [options]);
        var sink = new ListSink();
        var (loss, _) = trainer.TrainEpoch(loader, 0, [sink])[0];
        Assert.True(double.IsNaN(loss));

        // The replay reads the loss after every step, as training did before the per-epoch log.
        using var replay = new Trainer(backend, [options]);
        var first = loader.Epoch(0).Select(batch => OptimizerStateTests.TrainBatch(replay, batch, 1e6)).TakeWhile(double.IsFinite).Count() + 1;
        Assert.InRange(first, 2, loader.BatchCount);
        Assert.StartsWith($"Training diverged at epoch 1, step {first}: the loss became ", trainer.Error(0), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, first - 1).Select(s => (long)s), sink.Rows.Where(r => r.Tag == MetricTags.LossTrain).Select(r => r.Step));
    }
}
