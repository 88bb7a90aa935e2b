using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Nn;
using GpuTrainer.Optim;

namespace GpuTrainer.Training;

/// <summary>
/// The training loop for a model of K &gt;= 1 members (a lone run is K = 1) on one backend: every member (its own
/// optimizer, hyperparameters and schedule) trains on the same batches in one pass, each op one call for all K. The
/// training set is resident on the backend (<see cref="ResidentDataset"/>, uploaded once) and each run of steps uploads
/// one sample order and one optimizer plan; a step is then device work only: gather the batch -> forward -> fused
/// softmax-cross-entropy (every member's loss into the step's K slots of a device log) -> backward -> ONE fused optimizer
/// launch with each member's lr from its row of the planned table. The log is read once per epoch (or chunk of steps).
/// Members share the batch size, seed (hence data order) and epochs; each ends bit for bit as it would have trained
/// alone. A member whose loss stops being finite is masked out, with the one sentence that names its first such step
/// (<see cref="Error"/>), after the steps before it were logged; the rest go on.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly TrainingOptions[] _members;
    private readonly SoftmaxCrossEntropyLoss _loss;
    private readonly DeviceBatch _batch;
    private readonly string?[] _errors;
    private ResidentDataset? _resident;

    /// <param name="backend">The device.</param>
    /// <param name="members">One recipe per member; they must share the batch size, the seed and the epochs.</param>
    /// <param name="imageSize">The side of the square single-channel input images (LeNet-5, the default model).</param>
    public Trainer(IBackend backend, IReadOnlyList<TrainingOptions> members, int imageSize = 28)
        : this(backend, members, ModelDescription.LeNet5, LeNet5.InputShape(imageSize), LeNet5.Classes)
    {
    }

    /// <param name="backend">The device.</param>
    /// <param name="members">One recipe per member; they must share the batch size, the seed and the epochs.</param>
    /// <param name="model">The model every member trains.</param>
    /// <param name="input">One sample's shape (the data's).</param>
    /// <param name="classes">The data's classes: the model's outputs.</param>
    public Trainer(IBackend backend, IReadOnlyList<TrainingOptions> members, ModelDescription model, SampleShape input, int classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        var first = members.Count > 0 ? members[0] : throw new ArgumentException("A model needs at least one member.");
        if (members.Any(m => m.Batch != first.Batch || m.Seed != first.Seed || m.Epochs != first.Epochs))
        {
            throw new ArgumentException("The members of a model must share the batch size, the seed and the number of epochs.");
        }

        _members = [.. members];
        Backend = backend;
        Description = model;
        Model = model.Create(backend, input, classes, first.Batch, [.. members.Select(m => m.Seed)]);
        Optimizer = new Optimizer(Model.Arena(Model.Parameters), Model.Arena(Model.Gradients), [.. members.Select(m => m.OptimizerSettings)]);
        _loss = new SoftmaxCrossEntropyLoss(backend, first.Batch, classes, members.Count);
        _batch = new DeviceBatch(backend, first.Batch, Model.InputShape.Size);
        _errors = new string?[members.Count];
    }

    public IBackend Backend { get; }
    public Model Model { get; }

    /// <summary>The description <see cref="Model"/> was built from.</summary>
    public ModelDescription Description { get; }
    public Optimizer Optimizer { get; }

    /// <summary>K, the members.</summary>
    public int Members => _members.Length;

    /// <summary>Batches trained so far (the global step, shared by the members).</summary>
    public long Step { get; private set; }

    /// <summary>Why member <paramref name="k"/> was masked out (its loss stopped being finite); null while it trains.</summary>
    public string? Error(int k) => _errors[k];

    /// <summary>
    /// Trains every member on one host batch, member k at rate lrs[k], and writes each member's mean loss into losses[k]
    /// (an upload and a download: for tests and benchmarks; epochs and range tests use <see cref="TrainBatches"/>).
    /// </summary>
    public void TrainBatch(Batch batch, ReadOnlySpan<double> lrs, Span<double> losses)
    {
        _batch.Upload(batch.Images.Span, batch.Labels.Span, batch.Size);
        Optimizer.Plan(lrs, 1);
        _loss.Reset();
        QueueStep(_batch.Images, _batch.Labels, batch.Size, 0);
        _loss.ReadLossSums(1, losses);
        for (var k = 0; k < Members; k++)
        {
            losses[k] /= batch.Size;
        }
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
        if (lrs.Length != count * Members || losses.Length != lrs.Length || count == 0 || firstBatch < 0 || firstBatch + count > train.BatchCount)
        {
            throw new ArgumentException(
                $"Batches [{firstBatch}, {firstBatch + count}) of {Members} members with {lrs.Length} rates and {losses.Length} loss slots do not fit an epoch of {train.BatchCount} batches.");
        }

        var data = Resident(train);
        data.PrepareEpoch(epoch);
        Optimizer.Plan(lrs, count);
        _loss.Reset(count);
        for (var i = 0; i < count; i++)
        {
            var size = _batch.Gather(data, firstBatch + i);
            QueueStep(_batch.Images, _batch.Labels, size, i);
            afterBatch?.Invoke();
        }

        _loss.ReadLossSums(count, losses);
        for (var i = 0; i < count; i++)
        {
            for (var k = 0; k < Members; k++)
            {
                losses[(i * Members) + k] /= train.SizeOf(firstBatch + i);
            }
        }
    }

    // One step, device work only: forward, every member's loss into row `step` of the loss log, backward, the next planned
    // optimizer step; each one call over all K members, layer by layer.
    private void QueueStep(Tensor images, Tensor labels, int count, int step)
    {
        var logits = Model.Forward(images, count);
        _loss.Accumulate(logits, labels, count, step);
        Model.Backward(images, _loss.DLogits(count), count);
        Optimizer.Step();
        Step++;
    }

    // The resident copy of `train`'s data; made on first use, remade when another loader comes.
    private ResidentDataset Resident(BatchLoader train) => ResidentDataset.For(Backend, train, ref _resident);

    /// <summary>Learning rate member <paramref name="k"/>'s schedule gives for global step <paramref name="step"/> in <paramref name="epoch"/>.</summary>
    public double LearningRate(int k, int epoch, long step) =>
        _members[k].Schedule.LearningRate(_members[k].ScheduleUnit == ScheduleUnit.Epoch ? epoch : step);

    /// <summary>A host copy of member <paramref name="k"/>'s parameters, optimizer state and the step, for <see cref="Restore"/> and checkpoints.</summary>
    public TrainerSnapshot Snapshot(int k = 0) => new(Model.ReadParameters(k), Optimizer.SaveState(k), Step);

    /// <summary>
    /// Puts member <paramref name="k"/>'s parameters and optimizer state back from a snapshot (of any member of any trainer
    /// of the same recipe), bit for bit; the step becomes the snapshot's, so every member restored must share it.
    /// </summary>
    public void Restore(int k, TrainerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Model.WriteParameters(k, snapshot.Parameters);
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
        var (first, batches, members) = (Step, train.BatchCount, Members);
        var lrs = new double[batches * members];   // (batch, member)
        var losses = new double[lrs.Length];
        for (var b = 0; b < batches; b++)
        {
            for (var k = 0; k < members; k++)
            {
                lrs[(b * members) + k] = LearningRate(k, epoch, first + b);
            }
        }

        TrainBatches(train, epoch, 0, batches, lrs, losses, afterBatch);
        var results = new (double MeanLoss, double LastLr)[members];
        for (var k = 0; k < members; k++)
        {
            results[k] = _errors[k] is null ? Record(k, train, epoch, first, lrs, losses, sinks[k]) : (double.NaN, double.NaN);
        }

        return results;
    }

    // Member k's steps of the epoch to its sink; (NaN, NaN) and masked from its first non-finite loss.
    private (double MeanLoss, double LastLr) Record(int k, BatchLoader train, int epoch, long first, double[] lrs, double[] losses, IMetricSink sink)
    {
        double sum = 0;
        var samples = 0;
        for (var b = 0; b < train.BatchCount; b++)
        {
            var (step, loss, lr) = (first + b + 1, losses[(b * Members) + k], lrs[(b * Members) + k]);
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

        return (sum / samples, lrs[^(Members - k)]);
    }

    /// <summary>Per member: mean loss and accuracy over a whole data set, without touching the parameters.</summary>
    public (double Loss, double Accuracy)[] Evaluate(BatchLoader data)
    {
        _loss.Reset();
        var samples = 0;
        _batch.UploadEach(data, count =>
        {
            _loss.Accumulate(Model.Forward(_batch.Images, count), _batch.Labels, count);
            samples += count;
        });
        return _loss.Means(samples);
    }

    /// <summary>
    /// Trains every member from epoch <paramref name="firstEpoch"/> (0-based; after restoring their states) to the shared
    /// number of epochs, evaluating after each; member k's epoch results go to onEpoch(k, result) and its test metrics to
    /// sinks[k]; a masked member's results stop at its last whole epoch (<see cref="Error"/> tells which diverged).
    /// Returns each member's epoch results.
    /// </summary>
    public IReadOnlyList<EpochResult>[] Fit(
        BatchLoader train, BatchLoader test, IReadOnlyList<IMetricSink> sinks, Action<int, EpochResult>? onEpoch = null, Action? afterBatch = null, int firstEpoch = 0)
    {
        if (sinks.Count != Members)
        {
            throw new ArgumentException($"The model has {Members} members but {sinks.Count} metric sinks were given.");
        }

        var results = _members.Select(_ => new List<EpochResult>()).ToArray();
        var clock = Stopwatch.StartNew();
        for (var epoch = firstEpoch; epoch < _members[0].Epochs && _errors.Any(e => e is null); epoch++)
        {
            var started = clock.Elapsed;
            var trained = TrainEpoch(train, epoch, sinks, afterBatch);
            Backend.Synchronize();
            var seconds = (clock.Elapsed - started).TotalSeconds;
            var tested = Evaluate(test);
            for (var k = 0; k < Members; k++)
            {
                if (_errors[k] is not null)
                {
                    continue;
                }

                sinks[k].Scalar(MetricTags.LossTest, epoch + 1, tested[k].Loss);
                sinks[k].Scalar(MetricTags.AccuracyTest, epoch + 1, tested[k].Accuracy);
                var result = new EpochResult(epoch + 1, trained[k].MeanLoss, tested[k].Loss, tested[k].Accuracy, trained[k].LastLr, train.Dataset.Count / seconds, clock.Elapsed);
                results[k].Add(result);
                onEpoch?.Invoke(k, result);
            }
        }

        return results;
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
        _loss.Dispose();
        _batch.Dispose();
        _resident?.Dispose();
    }
}
