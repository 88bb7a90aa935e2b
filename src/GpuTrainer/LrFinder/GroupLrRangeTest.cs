using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training;

namespace GpuTrainer.LrFinder;

/// <summary>
/// <see cref="LrRangeTest"/> for every member of a <see cref="GroupTrainer"/> at once (e.g. one per optimizer): all
/// sweep the same rates on the same batches in one pass; a member whose sweep stops is masked out (its parameters stop
/// changing, so a pass it completed is evaluated with the others at the pass's end) and the rest go on. Each member's
/// curve is the one its lone range test would record. The group is left trained; use a fresh one.
/// </summary>
public static class GroupLrRangeTest
{
    /// <summary>Runs every member's sweep; sinks[k] receives member k's LR/train, Loss/train and Loss/test.</summary>
    public static IReadOnlyList<LrRangeTestResult> Run(
        GroupTrainer trainer, BatchLoader train, BatchLoader test, LrFinderOptions options, IReadOnlyList<IMetricSink> sinks, Action? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        options.Validate();
        var states = sinks.Select(s => new LrSweepState(options, s)).ToArray();
        if (states.Length != trainer.Models)
        {
            throw new ArgumentException($"The group has {trainer.Models} members but {states.Length} metric sinks were given.");
        }

        var lrs = new double[states.Length];
        for (var pass = 0; ; pass++)
        {
            var due = new bool[states.Length];   // members whose pass ended while their sweep could still be evaluated
            foreach (var batch in train.Epoch(pass))
            {
                for (var k = 0; k < states.Length; k++)
                {
                    lrs[k] = states[k].Stop is null ? states[k].NextLr : double.NaN;
                }

                var losses = trainer.TrainBatch(batch, lrs);
                var last = batch.Index == train.BatchCount - 1;
                for (var k = 0; k < states.Length; k++)
                {
                    if (double.IsNaN(lrs[k]))
                    {
                        continue;
                    }

                    states[k].Record(lrs[k], losses[k]);
                    due[k] = last && states[k].Evaluable;
                    if (states[k].Stop is not null)
                    {
                        trainer.Optimizer.Mask(k);
                    }
                }

                afterStep?.Invoke();
                if (states.All(s => s.Stop is not null))
                {
                    break;
                }
            }

            if (due.Any(d => d))
            {
                var tested = trainer.Evaluate(test);
                for (var k = 0; k < states.Length; k++)
                {
                    if (due[k])
                    {
                        states[k].EndPass(pass, tested[k].Loss);
                    }
                }
            }

            if (states.All(s => s.Stop is not null))
            {
                return [.. states.Select(s => s.Result)];
            }
        }
    }
}
