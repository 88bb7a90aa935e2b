using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>
/// The LR range test (Smith 2015; fastai's lr_find) for every member of a <see cref="Trainer"/> at once (e.g. one per
/// optimizer; a lone test is one member): trains one batch per step while the learning rate sweeps from
/// <see cref="LrSweepOptions.Start"/> to <see cref="LrSweepOptions.End"/>, cycling through the training data as often as
/// needed, and records each member's loss and its smoothed value. A member's sweep stops early when its smoothed loss
/// exceeds <see cref="LrSweepOptions.DivergenceFactor"/> times its best or a loss is not finite; it is then masked out
/// (its parameters stop changing) and the rest go on; a pass is evaluated for the members whose sweep reached its end.
/// Each member's curve is the one its lone test records. Steps run on the device in chunks of <see cref="ChunkSteps"/>
/// with one loss read per chunk (<see cref="Trainer.TrainBatches"/>). The trainer's parameters, optimizer states, masks
/// and step are restored afterwards, whatever happens.
/// </summary>
public static class LrRangeTest
{
    /// <summary>Steps queued between two reads of the device's loss log: the early stop still lands on the exact step.</summary>
    public const int ChunkSteps = 32;

    /// <summary>Runs every member's sweep on <paramref name="trainer"/>.</summary>
    /// <param name="trainer">The model and optimizers to probe; left as they were.</param>
    /// <param name="train">Training batches (shuffled loader); pass p of the sweep is its epoch p.</param>
    /// <param name="test">Test batches, evaluated after each complete pass.</param>
    /// <param name="options">The sweep.</param>
    /// <param name="sinks">sinks[k] receives member k's LR/train and Loss/train per step and Loss/test per pass.</param>
    /// <param name="afterStep">Called once per step of the sweep that is furthest on (a progress bar).</param>
    public static IReadOnlyList<LrRangeTestResult> Run(
        Trainer trainer, BatchLoader train, BatchLoader test, LrSweepOptions options, IReadOnlyList<IMetricSink> sinks, Action? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (sinks.Count != trainer.Members)
        {
            throw new ArgumentException($"The model has {trainer.Members} members but {sinks.Count} metric sinks were given.");
        }

        var snapshots = Enumerable.Range(0, trainer.Members).Select(k => trainer.Snapshot(k)).ToList();
        try
        {
            return Sweep(trainer, train, test, options, sinks, afterStep);
        }
        finally
        {
            for (var k = 0; k < snapshots.Count; k++)
            {
                trainer.Restore(k, snapshots[k]);
                trainer.Optimizer.Mask(k, false);
            }
        }
    }

    private static IReadOnlyList<LrRangeTestResult> Sweep(
        Trainer trainer, BatchLoader train, BatchLoader test, LrSweepOptions options, IReadOnlyList<IMetricSink> sinks, Action? afterStep)
    {
        var members = trainer.Members;
        var states = sinks.Select(s => new LrSweepState(options, s)).ToArray();
        var lrs = new double[ChunkSteps * members];     // (step of the chunk, member)
        var losses = new double[lrs.Length];
        for (var pass = 0; ; pass++)
        {
            var passEnded = new bool[members];
            for (var first = 0; first < train.BatchCount && states.Any(s => s.Stop is null); first += ChunkSteps)
            {
                // Queue a chunk (never past the pass or the sweep; every member still sweeping has recorded the same steps,
                // so one length suits them all), read its losses once, then walk them step by step: steps queued after a
                // stop are undone with everything else when the snapshots are restored.
                var count = states.First(s => s.Stop is null).ChunkLength(first, train.BatchCount);
                for (var i = 0; i < count; i++)
                {
                    for (var k = 0; k < members; k++)
                    {
                        lrs[(i * members) + k] = states[k].Stop is null ? states[k].LearningRate(i) : 0;   // a masked member's rate is not used
                    }
                }

                trainer.TrainBatches(train, pass, first, count, lrs.AsSpan(0, count * members), losses.AsSpan(0, count * members));
                var furthest = 0;
                for (var k = 0; k < members; k++)
                {
                    if (states[k].Stop is not null)
                    {
                        continue;
                    }

                    for (var i = 0; i < count && states[k].Stop is null; i++)
                    {
                        states[k].Record(lrs[(i * members) + k], losses[(i * members) + k]);
                        passEnded[k] = first + i == train.BatchCount - 1;
                        furthest = Math.Max(furthest, i + 1);
                    }

                    if (states[k].Stop is not null)
                    {
                        trainer.Optimizer.Mask(k);
                    }
                }

                for (var i = 0; i < furthest; i++)
                {
                    afterStep?.Invoke();
                }
            }

            var due = Enumerable.Range(0, members).Where(k => passEnded[k] && states[k].Evaluable).ToList();
            if (due.Count > 0)
            {
                var tested = trainer.Evaluate(test);
                foreach (var k in due)
                {
                    states[k].EndPass(pass, tested[k].Loss);
                }
            }

            if (states.All(s => s.Stop is not null))
            {
                return [.. states.Select(s => s.Result)];
            }
        }
    }
}
