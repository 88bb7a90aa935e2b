using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Nn;
using GpuTrainer.Optim;

namespace GpuTrainer.Training;

/// <summary>
/// <see cref="Trainer"/> for K models at once: every member (its own optimizer, hyperparameters and schedule) trains on
/// the same batches in one pass (<see cref="ModelGroup"/>: one grouped call per op, one loss call, one optimizer call).
/// As in the Trainer, the training set is resident on the backend, a step is device work only (gather, forward, loss
/// into the step's K slots of a device log, backward, optimizer) and the log is read once per epoch (or per chunk of
/// steps). Members share the batch size, seed (hence data order) and epochs; each ends as it would have trained alone.
/// A member whose loss stops being finite is masked out, with the message its lone run would have thrown, after the
/// steps before it were logged; the rest go on.
/// </summary>
public sealed class GroupTrainer : IDisposable
{
    private readonly TrainingOptions[] _members;
    private readonly GroupSoftmaxCrossEntropyLoss _loss;
    private readonly DeviceBatch _batch;
    private readonly StepLog _log;
    private readonly string?[] _errors;
    private ResidentDataset? _resident;

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
        _log = new StepLog(backend, members.Count);
        _errors = new string?[members.Count];
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

    /// <summary>
    /// Trains every member on one host batch, member k at rate lrs[k], and returns each member's mean loss (an upload
    /// and a download: for tests and benchmarks; epochs and range tests use <see cref="TrainBatches"/>).
    /// </summary>
    public double[] TrainBatch(Batch batch, ReadOnlySpan<double> lrs)
    {
        _batch.Upload(batch.Images.Span, batch.Labels.Span, batch.Size);
        _log.Reset(Models);
        QueueStep(_batch.Images, _batch.Labels, batch.Size, lrs, 0);
        var losses = new double[Models];
        _log.ReadLossSums(Models, losses);
        for (var k = 0; k < Models; k++)
        {
            losses[k] /= batch.Size;
        }

        return losses;
    }

    /// <summary>
    /// Trains on batches [<paramref name="firstBatch"/>, firstBatch + count) of epoch <paramref name="epoch"/> of
    /// <paramref name="train"/>, gathered from the data set resident on the backend; lrs and losses are (count, K): member
    /// k's rate and mean loss at batch i are [i * K + k]. The steps are queued without any host synchronisation; the
    /// losses are then read with ONE download. <paramref name="afterBatch"/> runs after each step is queued.
    /// </summary>
    public void TrainBatches(BatchLoader train, int epoch, int firstBatch, int count, ReadOnlySpan<double> lrs, Span<double> losses, Action? afterBatch = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (lrs.Length != count * Models || losses.Length != lrs.Length || count == 0 || firstBatch < 0 || firstBatch + count > train.BatchCount)
        {
            throw new ArgumentException(
                $"Batches [{firstBatch}, {firstBatch + count}) of {Models} models with {lrs.Length} rates and {losses.Length} loss slots do not fit an epoch of {train.BatchCount} batches.");
        }

        var data = Resident(train);
        data.PrepareEpoch(epoch);
        _log.Reset(count * Models);
        for (var i = 0; i < count; i++)
        {
            var size = _batch.Gather(data, firstBatch + i);
            QueueStep(_batch.Images, _batch.Labels, size, lrs.Slice(i * Models, Models), i * Models);
            afterBatch?.Invoke();
        }

        _log.ReadLossSums(count * Models, losses);
        for (var i = 0; i < count; i++)
        {
            for (var k = 0; k < Models; k++)
            {
                losses[(i * Models) + k] /= train.SizeOf(firstBatch + i);
            }
        }
    }

    // One grouped step, device work only: forward, every member's loss into slots [slot, slot + K), backward, one optimizer
    // call; each a grouped call over all K members, layer by layer (running each member's whole pass on one thread
    // instead measured 0.85x against 1.27x for this, 16 cells on 2 threads; see benchmarks/results/groups-study.md).
    private void QueueStep(Tensor images, Tensor labels, int count, ReadOnlySpan<double> lrs, int slot)
    {
        var logits = Group.Forward(images, count);
        _loss.AccumulateInto(logits, labels, count, _log.Slots(slot, Models));
        Group.Backward(images, _loss.DLogits(count), count);
        Optimizer.Step(lrs);
        Step++;
    }

    // The resident copy of `train`'s data; made on first use, remade when another loader comes.
    private ResidentDataset Resident(BatchLoader train) => ResidentDataset.For(Backend, train, ref _resident);

    /// <summary>Learning rate member <paramref name="k"/>'s schedule gives for global step <paramref name="step"/> in <paramref name="epoch"/>.</summary>
    public double LearningRate(int k, int epoch, long step) =>
        _members[k].Schedule.LearningRate(_members[k].ScheduleUnit == ScheduleUnit.Epoch ? epoch : step);

    /// <summary>A host copy of member <paramref name="k"/>'s parameters, optimizer state and the step, as <see cref="Trainer.Snapshot"/> gives a lone run's.</summary>
    public TrainerSnapshot Snapshot(int k) => new(Group.ReadParameters(k), Optimizer.SaveState(k), Step);

    /// <summary>
    /// Puts member <paramref name="k"/>'s parameters and optimizer state back from a snapshot (of a lone trainer or of a
    /// group member), bit for bit; the group's step becomes the snapshot's, so every member restored must share it.
    /// </summary>
    public void Restore(int k, TrainerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Group.WriteParameters(k, snapshot.Parameters);
        Optimizer.RestoreState(k, snapshot.Optimizer);
        Step = snapshot.Step;
    }

    /// <summary>
    /// One pass over <paramref name="train"/> (see <see cref="TrainBatches"/>); then LR/train and Loss/train per step go to
    /// the sink of every member still training; returns per member (mean loss, last lr). A member whose loss is not finite
    /// at some step is masked out from then on, its steps before that logged, and gets (NaN, NaN), as one masked before.
    /// </summary>
    public (double MeanLoss, double LastLr)[] TrainEpoch(BatchLoader train, int epoch, IReadOnlyList<IMetricSink> sinks, Action? afterBatch = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var (first, batches, models) = (Step, train.BatchCount, Models);
        var lrs = new double[batches * models];   // (batch, member)
        var losses = new double[lrs.Length];
        for (var b = 0; b < batches; b++)
        {
            for (var k = 0; k < models; k++)
            {
                lrs[(b * models) + k] = LearningRate(k, epoch, first + b);
            }
        }

        TrainBatches(train, epoch, 0, batches, lrs, losses, afterBatch);
        var results = new (double MeanLoss, double LastLr)[models];
        for (var k = 0; k < models; k++)
        {
            results[k] = _errors[k] is null ? Record(k, train, epoch, first, lrs, losses, sinks[k]) : (double.NaN, double.NaN);
        }

        return results;
    }

    // Member k's steps of the epoch, as the lone Trainer logs them; (NaN, NaN) and masked from its first non-finite loss.
    private (double MeanLoss, double LastLr) Record(int k, BatchLoader train, int epoch, long first, double[] lrs, double[] losses, IMetricSink sink)
    {
        double sum = 0;
        var samples = 0;
        for (var b = 0; b < train.BatchCount; b++)
        {
            var (step, loss, lr) = (first + b + 1, losses[(b * Models) + k], lrs[(b * Models) + k]);
            if (!double.IsFinite(loss))
            {
                _errors[k] = TrainingDivergedException.Describe(epoch, step, loss, lr);
                Optimizer.Mask(k);
                return (double.NaN, double.NaN);
            }

            sink.Scalar(MetricTags.LrTrain, step, lr);
            sink.Scalar(MetricTags.LossTrain, step, loss);
            var size = train.SizeOf(b);
            sum += loss * size;
            samples += size;
        }

        return (sum / samples, lrs[^(Models - k)]);
    }

    /// <summary>Per member: mean loss and accuracy over a whole data set, without touching the parameters.</summary>
    public (double Loss, double Accuracy)[] Evaluate(BatchLoader data)
    {
        _loss.ReadAndReset();
        _batch.UploadEach(data, count => _loss.Accumulate(Group.Forward(_batch.Images, count), _batch.Labels, count));
        return _loss.ReadAndReset();
    }

    /// <summary>
    /// Trains every member from epoch <paramref name="firstEpoch"/> (0-based; after restoring their states) to the shared
    /// number of epochs, evaluating after each; member k's epoch results go to onEpoch(k, result) and its test metrics to
    /// sinks[k]; a masked member's results stop at its last whole epoch. <see cref="Error"/> tells which diverged.
    /// </summary>
    public void Fit(
        BatchLoader train, BatchLoader test, IReadOnlyList<IMetricSink> sinks, Action<int, EpochResult>? onEpoch = null, Action? afterBatch = null, int firstEpoch = 0)
    {
        if (sinks.Count != Models)
        {
            throw new ArgumentException($"The group has {Models} members but {sinks.Count} metric sinks were given.");
        }

        var clock = Stopwatch.StartNew();
        for (var epoch = firstEpoch; epoch < _members[0].Epochs && _errors.Any(e => e is null); epoch++)
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
                onEpoch?.Invoke(k, new EpochResult(epoch + 1, trained[k].MeanLoss, tested[k].Loss, tested[k].Accuracy, trained[k].LastLr, train.Dataset.Count / seconds, clock.Elapsed));
            }
        }
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
        _log.Dispose();
        _resident?.Dispose();
    }
}
