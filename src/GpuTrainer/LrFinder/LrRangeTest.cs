using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>
/// The LR range test (Smith 2015; fastai's lr_find): trains one batch per step while the learning rate sweeps
/// from <see cref="LrFinderOptions.Start"/> to <see cref="LrFinderOptions.End"/>, cycling through the training
/// data as often as needed, and records each step's loss and its smoothed value. It stops early when the
/// smoothed loss exceeds <see cref="LrFinderOptions.DivergenceFactor"/> times its best or a loss is not finite.
/// The trainer's parameters, optimizer state and step are restored afterwards, whatever happens.
/// </summary>
public static class LrRangeTest
{
    /// <summary>Runs the sweep on <paramref name="trainer"/>.</summary>
    /// <param name="trainer">The model and optimizer to probe; left as it was.</param>
    /// <param name="train">Training batches (shuffled loader); pass p of the sweep is its epoch p.</param>
    /// <param name="test">Test batches, evaluated after each complete pass.</param>
    /// <param name="options">The sweep.</param>
    /// <param name="sink">Receives LR/train and Loss/train per step and Loss/test per pass.</param>
    /// <param name="afterStep">Called after every step (a progress bar).</param>
    public static LrRangeTestResult Run(
        Trainer trainer, BatchLoader train, BatchLoader test, LrFinderOptions options, IMetricSink sink, Action? afterStep = null)
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
        Trainer trainer, BatchLoader train, BatchLoader test, LrFinderOptions options, IMetricSink sink, Action? afterStep)
    {
        var state = new LrSweepState(options, sink);
        for (var pass = 0; ; pass++)
        {
            var passEnded = false;
            foreach (var batch in train.Epoch(pass))
            {
                var lr = state.NextLr;
                state.Record(lr, trainer.TrainBatch(batch, lr));
                afterStep?.Invoke();
                passEnded = batch.Index == train.BatchCount - 1;
                if (state.Stop is not null)
                {
                    break;
                }
            }

            if (passEnded && state.Evaluable)
            {
                state.EndPass(pass, trainer.Evaluate(test).Loss);
            }

            if (state.Stop is not null)
            {
                return state.Result;
            }
        }
    }
}
