using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Nn;
using GpuTrainer.Optim;

namespace GpuTrainer.Training;

/// <summary>
/// <see cref="Trainer"/> for K models at once: every member (its own optimizer, hyperparameters and schedule) trains
/// on the same batches in one pass (<see cref="ModelGroup"/>, one grouped launch per op, one loss launch, one
/// optimizer launch). Batches come as the Trainer takes them (a host batch uploaded per step). Members share the
/// batch size, seed (hence data order) and epochs; each ends as it would have trained alone. A member whose loss
/// stops being finite is masked out with the message its lone run would have thrown; the rest go on.
/// </summary>
public sealed class GroupTrainer : IDisposable
{
    private readonly TrainingOptions[] _members;
    private readonly GroupSoftmaxCrossEntropyLoss _loss;
    private readonly DeviceBatch _batch;
    private readonly string?[] _errors;
    private readonly double[] _lrs;

    public GroupTrainer(IBackend backend, IReadOnlyList<TrainingOptions> members, int imageSize = 28)
    {
        if (members.Count == 0)
        {
            throw new ArgumentException("A group needs at least one member.");
        }

        foreach (var member in members)
        {
            member.Validate();
        }

        var first = members[0];
        if (members.Any(m => m.Batch != first.Batch || m.Seed != first.Seed || m.Epochs != first.Epochs))
        {
            throw new ArgumentException("The members of a group must share the batch size, the seed and the number of epochs.");
        }

        _members = [.. members];
        Backend = backend;
        Group = ModelGroup.LeNet5(backend, first.Batch, [.. members.Select(m => m.Seed)], imageSize);
        Optimizer = new GroupOptimizer(Group, [.. members.Select(Member)]);
        _loss = new GroupSoftmaxCrossEntropyLoss(backend, members.Count, first.Batch, LeNet5.Classes);
        _batch = new DeviceBatch(backend, first.Batch, Group.InputShape.Size);
        _errors = new string?[members.Count];
        _lrs = new double[members.Count];
    }

    public IBackend Backend { get; }
    public ModelGroup Group { get; }
    public GroupOptimizer Optimizer { get; }

    /// <summary>K, the number of members.</summary>
    public int Models => _members.Length;

    /// <summary>Batches trained so far (the global step, shared by the members).</summary>
    public long Step { get; private set; }

    /// <summary>Why member <paramref name="k"/> was masked out (its loss stopped being finite); null while it trains.</summary>
    public string? Error(int k) => _errors[k];

    /// <summary>Trains every member on one batch, member k at rate lrs[k]; returns each member's mean loss.</summary>
    public double[] TrainBatch(Batch batch, ReadOnlySpan<double> lrs)
    {
        _batch.Upload(batch.Images.Span, batch.Labels.Span, batch.Size);
        var logits = Group.Forward(_batch.Images, batch.Size);
        _loss.Accumulate(logits, _batch.Labels, batch.Size);
        Group.Backward(_batch.Images, _loss.DLogits(batch.Size), batch.Size);
        Optimizer.Step(lrs);
        Step++;
        return [.. _loss.ReadAndReset().Select(r => r.MeanLoss)];
    }

    /// <summary>Learning rate member <paramref name="k"/>'s schedule gives for the next batch of <paramref name="epoch"/>.</summary>
    public double LearningRate(int k, int epoch) =>
        _members[k].Schedule.LearningRate(_members[k].ScheduleUnit == ScheduleUnit.Epoch ? epoch : Step);

    /// <summary>
    /// One pass over <paramref name="train"/> for every member still training: LR/train and Loss/train per step to its sink;
    /// returns per member (mean loss, last lr), NaN for a member masked out before or during the epoch.
    /// </summary>
    public (double MeanLoss, double LastLr)[] TrainEpoch(BatchLoader train, int epoch, IReadOnlyList<IMetricSink> sinks, Action? afterBatch = null)
    {
        var sums = new double[Models];
        var samples = 0;
        foreach (var batch in train.Epoch(epoch))
        {
            for (var k = 0; k < Models; k++)
            {
                _lrs[k] = _errors[k] is null ? LearningRate(k, epoch) : double.NaN;
            }

            var losses = TrainBatch(batch, _lrs);
            for (var k = 0; k < Models; k++)
            {
                if (_errors[k] is not null)
                {
                    continue;
                }

                if (!double.IsFinite(losses[k]))
                {
                    _errors[k] = TrainingDivergedException.Describe(epoch, Step, losses[k], _lrs[k]);
                    Optimizer.Mask(k);
                    continue;
                }

                sinks[k].Scalar(MetricTags.LrTrain, Step, _lrs[k]);
                sinks[k].Scalar(MetricTags.LossTrain, Step, losses[k]);
                sums[k] += losses[k] * batch.Size;
            }

            samples += batch.Size;
            afterBatch?.Invoke();
            if (_errors.All(e => e is not null))
            {
                break;
            }
        }

        return [.. Enumerable.Range(0, Models).Select(k => _errors[k] is null ? (sums[k] / samples, _lrs[k]) : (double.NaN, double.NaN))];
    }

    /// <summary>Per member: mean loss and accuracy over a whole data set, without touching the parameters.</summary>
    public (double Loss, double Accuracy)[] Evaluate(BatchLoader data)
    {
        _loss.ReadAndReset();
        _batch.UploadEach(data, count => _loss.Accumulate(Group.Forward(_batch.Images, count), _batch.Labels, count));

        return _loss.ReadAndReset();
    }

    /// <summary>
    /// Trains every member for the shared number of epochs, evaluating after each; member k's epoch results go to
    /// onEpoch(k, result) and its test metrics to sinks[k]; a masked member's history stops at its last whole epoch.
    /// Returns each member's history; <see cref="Error"/> tells which diverged.
    /// </summary>
    public IReadOnlyList<EpochResult>[] Fit(
        BatchLoader train, BatchLoader test, IReadOnlyList<IMetricSink> sinks, Action<int, EpochResult>? onEpoch = null, Action? afterBatch = null)
    {
        if (sinks.Count != Models)
        {
            throw new ArgumentException($"The group has {Models} members but {sinks.Count} metric sinks were given.");
        }

        var histories = Enumerable.Range(0, Models).Select(_ => new List<EpochResult>()).ToArray();
        var clock = Stopwatch.StartNew();
        for (var epoch = 0; epoch < _members[0].Epochs && _errors.Any(e => e is null); epoch++)
        {
            var started = clock.Elapsed;
            var trained = TrainEpoch(train, epoch, sinks, afterBatch);
            Backend.Synchronize();
            var seconds = (clock.Elapsed - started).TotalSeconds;
            var tested = Evaluate(test);
            for (var k = 0; k < Models; k++)
            {
                if (_errors[k] is not null)
                {
                    continue;
                }

                sinks[k].Scalar(MetricTags.LossTest, epoch + 1, tested[k].Loss);
                sinks[k].Scalar(MetricTags.AccuracyTest, epoch + 1, tested[k].Accuracy);
                var result = new EpochResult(epoch + 1, trained[k].MeanLoss, tested[k].Loss, tested[k].Accuracy, trained[k].LastLr, train.Dataset.Count / seconds, clock.Elapsed);
                histories[k].Add(result);
                onEpoch?.Invoke(k, result);
            }
        }

        return histories;
    }

    private static GroupMemberOptimizer Member(TrainingOptions o) => o.Optimizer switch
    {
        OptimizerKind.Sgd => new GroupMemberOptimizer(Adam: false, o.Momentum, o.WeightDecay),
        OptimizerKind.Adam => new GroupMemberOptimizer(Adam: true, WeightDecay: o.WeightDecay),
        OptimizerKind.AdamW => new GroupMemberOptimizer(Adam: true, WeightDecay: o.WeightDecay, Decoupled: true),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Optimizer, "Unknown optimizer."),
    };

    public void Dispose()
    {
        Optimizer.Dispose();
        Group.Dispose();
        _loss.Dispose();
        _batch.Dispose();
    }
}
