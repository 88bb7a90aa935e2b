using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>
/// The LR range test (Smith 2015; fastai's lr_find): trains one batch per step while the learning rate sweeps
/// from <see cref="LrSweepOptions.Start"/> to <see cref="LrSweepOptions.End"/>, cycling through the training
/// data as often as needed, and records each step's loss and its smoothed value. It stops early when the
/// smoothed loss exceeds <see cref="LrSweepOptions.DivergenceFactor"/> times its best or a loss is not finite.
/// The trainer's parameters, optimizer state and step are restored afterwards, whatever happens. Steps run on the
/// device in chunks of <see cref="ChunkSteps"/> with one loss read per chunk (<see cref="Trainer.TrainBatches"/>).
/// </summary>
public static class LrRangeTest
{
    /// <summary>Steps queued between two reads of the device's loss log: the early stop still lands on the exact step.</summary>
    public const int ChunkSteps = 32;

    /// <summary>Runs the sweep on <paramref name="trainer"/>.</summary>
    /// <param name="trainer">The model and optimizer to probe; left as it was.</param>
    /// <param name="train">Training batches (shuffled loader); pass p of the sweep is its epoch p.</param>
    /// <param name="test">Test batches, evaluated after each complete pass.</param>
    /// <param name="options">The sweep.</param>
    /// <param name="sink">Receives LR/train and Loss/train per step and Loss/test per pass.</param>
    /// <param name="afterStep">Called after every step (a progress bar).</param>
    public static LrRangeTestResult Run(
        Trainer trainer, BatchLoader train, BatchLoader test, LrSweepOptions options, IMetricSink sink, Action? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var snapshot = trainer.Snapshot();
        try
        {
            return Sweep(trainer, train, test, options, sink, afterStep);
        }
        finally
        {
            trainer.Restore(snapshot);
        }
    }

    private static LrRangeTestResult Sweep(
        Trainer trainer, BatchLoader train, BatchLoader test, LrSweepOptions options, IMetricSink sink, Action? afterStep)
    {
        var points = new List<LrCurvePoint>(options.Steps);
        var passes = new List<LrPassResult>();
        var smoother = new LossSmoother(options.SmoothingBeta);
        var best = double.PositiveInfinity;
        Span<double> lrs = stackalloc double[ChunkSteps], losses = stackalloc double[ChunkSteps];
        for (var pass = 0; ; pass++)
        {
            LrStopReason? stop = null;
            var passEnded = false;
            for (var first = 0; first < train.BatchCount && stop is null; first += ChunkSteps)
            {
                // Queue a chunk (never past the pass or the sweep), read its losses once, then walk them step by step:
                // steps queued after a stop are undone with everything else when the snapshot is restored.
                var count = Math.Min(ChunkSteps, Math.Min(train.BatchCount - first, options.Steps - points.Count));
                for (var i = 0; i < count; i++)
                {
                    lrs[i] = options.LearningRate(points.Count + i);
                }

                trainer.TrainBatches(train, pass, first, lrs[..count], losses[..count]);
                for (var i = 0; i < count && stop is null; i++)
                {
                    var (step, lr, loss) = (points.Count, lrs[i], losses[i]);
                    var smoothed = smoother.Add(loss);
                    points.Add(new LrCurvePoint(step + 1, lr, loss, smoothed));
                    sink.Scalar(MetricTags.LrTrain, step + 1, lr);
                    sink.Scalar(MetricTags.LossTrain, step + 1, loss);
                    afterStep?.Invoke();
                    best = Math.Min(best, smoothed);
                    stop = !double.IsFinite(loss) ? LrStopReason.NonFiniteLoss
                        : smoothed > options.DivergenceFactor * best ? LrStopReason.Diverged
                        : points.Count == options.Steps ? LrStopReason.Completed
                        : null;
                    passEnded = first + i == train.BatchCount - 1;
                }
            }

            if (passEnded && stop is null or LrStopReason.Completed)
            {
                var (testLoss, _) = trainer.Evaluate(test);
                sink.Scalar(MetricTags.LossTest, points.Count, testLoss);
                passes.Add(new LrPassResult(pass + 1, points.Count, points[^1].Lr, testLoss));
            }

            if (stop is { } reason)
            {
                return new LrRangeTestResult(points, passes, reason);
            }
        }
    }
}
