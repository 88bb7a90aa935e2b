using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>
/// <see cref="LrRangeTest"/> for every member of a <see cref="GroupTrainer"/> at once (e.g. one per optimizer): all
/// sweep the same rates on the same batches in one pass, in the lone test's chunks of <see cref="LrRangeTest.ChunkSteps"/>
/// steps with one loss read per chunk. A member whose sweep stops is masked out (its parameters stop changing) and the
/// rest go on; a pass is evaluated for the members whose sweep reached its end. Each member's curve is the one its
/// lone range test records. The group is left trained; use a fresh one.
/// </summary>
public static class GroupLrRangeTest
{
    /// <summary>Runs every member's sweep; sinks[k] receives member k's LR/train, Loss/train and Loss/test.</summary>
    /// <param name="afterStep">Called once per step of the sweep that is furthest on (a progress bar).</param>
    public static IReadOnlyList<LrRangeTestResult> Run(
        GroupTrainer trainer, BatchLoader train, BatchLoader test, LrSweepOptions options, IReadOnlyList<IMetricSink> sinks, Action? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var models = trainer.Models;
        if (sinks.Count != models)
        {
            throw new ArgumentException($"The group has {models} members but {sinks.Count} metric sinks were given.");
        }

        var states = sinks.Select(s => new LrSweepState(options, s)).ToArray();
        var lrs = new double[LrRangeTest.ChunkSteps * models];     // (step of the chunk, member)
        var losses = new double[lrs.Length];
        for (var pass = 0; ; pass++)
        {
            var passEnded = new bool[models];
            for (var first = 0; first < train.BatchCount && states.Any(s => s.Stop is null); first += LrRangeTest.ChunkSteps)
            {
                // Every member still sweeping has recorded the same steps, so one chunk length suits them all.
                var count = states.First(s => s.Stop is null).ChunkLength(first, train.BatchCount);
                for (var i = 0; i < count; i++)
                {
                    for (var k = 0; k < models; k++)
                    {
                        lrs[(i * models) + k] = states[k].Stop is null ? states[k].LearningRate(i) : 0;   // a masked member's rate is not used
                    }
                }

                trainer.TrainBatches(train, pass, first, count, lrs.AsSpan(0, count * models), losses.AsSpan(0, count * models));
                var furthest = 0;
                for (var k = 0; k < models; k++)
                {
                    if (states[k].Stop is not null)
                    {
                        continue;
                    }

                    for (var i = 0; i < count && states[k].Stop is null; i++)
                    {
                        states[k].Record(lrs[(i * models) + k], losses[(i * models) + k]);
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

            var due = Enumerable.Range(0, models).Where(k => passEnded[k] && states[k].Evaluable).ToList();
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
