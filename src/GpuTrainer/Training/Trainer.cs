using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Nn;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>
/// The training loop for one model, optimizer and schedule on one backend. The training set is resident on the
/// backend (<see cref="ResidentDataset"/>, uploaded once) and each epoch uploads one sample order; one step is then
/// device work only: gather the batch -> forward -> fused softmax-cross-entropy (the loss into the step's slot of a
/// device log) -> backward -> ONE fused optimizer launch with lr = schedule(step) as a kernel argument. The log is
/// read once per epoch; then the metric sinks receive (step, lr, loss) for every step, and a non-finite loss throws
/// <see cref="TrainingDivergedException"/> naming the first such step. Each epoch ends with an evaluation on the test set.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly SoftmaxCrossEntropyLoss _loss;
    private readonly DeviceBatch _batch;
    private readonly StepLog _log;
    private readonly TrainingOptions _options;
    private readonly DeviceBuffer? _optimizerState;   // the optimizer's state arenas back to back (momentum; m, v)
    private ResidentDataset? _resident;

    public Trainer(IBackend backend, TrainingOptions options, int imageSize = 28)
    {
        options.Validate();
        _options = options;
        Backend = backend;
        Model = LeNet5.Create(backend, options.Batch, options.Seed, imageSize);
        var arenas = OptimizerFactory.StateArenas(options.Optimizer, options.Momentum);
        _optimizerState = arenas == 0 ? null : backend.Allocate(arenas * Model.ParameterCount);
        Optimizer = OptimizerFactory.Create(
            options.Optimizer, Model.Parameters.All, Model.Gradients.All, _optimizerState?.All ?? default, options.Momentum, options.WeightDecay);
        _loss = new SoftmaxCrossEntropyLoss(backend, options.Batch, LeNet5.Classes);
        _batch = new DeviceBatch(backend, options.Batch, Model.InputShape.Size);
        _log = new StepLog(backend, 1);
    }

    public IBackend Backend { get; }
    public Sequential Model { get; }
    public IOptimizer Optimizer { get; }

    /// <summary>Batches trained so far (the global step).</summary>
    public long Step { get; private set; }

    /// <summary>
    /// Trains on one host batch with learning rate <paramref name="lr"/> and returns its mean loss (an upload and a
    /// download: for tests and benchmarks; epochs and the LR range test use <see cref="TrainBatches"/>).
    /// </summary>
    public double TrainBatch(Batch batch, double lr)
    {
        _batch.Upload(batch.Images.Span, batch.Labels.Span, batch.Size);
        return TrainBatch(_batch.Images, _batch.Labels, batch.Size, lr);
    }

    /// <summary>
    /// Trains on a batch already on the device: <paramref name="images"/> (count,1,H,W) normalised and
    /// <paramref name="labels"/> (count) class indices as floats, both views of this trainer's backend.
    /// Returns the batch's mean loss (one download, which waits for the step).
    /// </summary>
    public double TrainBatch(Tensor images, Tensor labels, int count, double lr)
    {
        _log.Reset(1);
        QueueStep(images, labels, count, lr, _log.Slot(0));
        Span<double> lossSum = stackalloc double[1];
        _log.ReadLossSums(1, lossSum);
        return lossSum[0] / count;
    }

    /// <summary>
    /// Trains on batches [<paramref name="firstBatch"/>, firstBatch + lrs.Length) of epoch <paramref name="epoch"/> of
    /// <paramref name="train"/>, batch i at learning rate lrs[i], gathered from the data set resident on the backend
    /// (uploaded on first use of a loader; the epoch's order once per epoch). The steps are queued without any host
    /// synchronisation; their mean losses are then read with ONE download into <paramref name="losses"/>.
    /// <paramref name="afterBatch"/> runs after each step is queued (a progress bar).
    /// </summary>
    public void TrainBatches(BatchLoader train, int epoch, int firstBatch, ReadOnlySpan<double> lrs, Span<double> losses, Action? afterBatch = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var count = lrs.Length;
        if (losses.Length != count || count == 0 || firstBatch < 0 || firstBatch + count > train.BatchCount)
        {
            throw new ArgumentException(
                $"Batches [{firstBatch}, {firstBatch + count}) with {losses.Length} loss slots do not fit an epoch of {train.BatchCount} batches.");
        }

        var data = Resident(train);
        data.PrepareEpoch(epoch);
        _log.Reset(count);
        for (var i = 0; i < count; i++)
        {
            var size = _batch.Gather(data, firstBatch + i);
            QueueStep(_batch.Images, _batch.Labels, size, lrs[i], _log.Slot(i));
            afterBatch?.Invoke();
        }

        _log.ReadLossSums(count, losses);
        for (var i = 0; i < count; i++)
        {
            losses[i] /= train.SizeOf(firstBatch + i);
        }
    }

    // One step, device work only: forward, loss into `stats`, backward, one optimizer launch.
    private void QueueStep(Tensor images, Tensor labels, int count, double lr, Tensor stats)
    {
        var logits = Model.Forward(images, count);
        _loss.AccumulateInto(logits, labels, count, stats);
        Model.Backward(images, _loss.DLogits(count), count);
        Optimizer.Step(lr);
        Step++;
    }

    // The resident copy of `train`'s data; made on first use, remade when another loader comes.
    private ResidentDataset Resident(BatchLoader train)
    {
        if (!ReferenceEquals(_resident?.Loader, train))
        {
            _resident?.Dispose();
            _resident = null;
            _resident = new ResidentDataset(Backend, train);
        }

        return _resident;
    }

    /// <summary>A host copy of the parameters, the optimizer state and the step, for <see cref="Restore"/>.</summary>
    public TrainerSnapshot Snapshot() => new(Model.ReadParameters(), Optimizer.SaveState(), Step);

    /// <summary>Puts the parameters, optimizer state and step back as <see cref="Snapshot"/> found them, bit for bit.</summary>
    public void Restore(TrainerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Model.WriteParameters(snapshot.Parameters);
        Optimizer.RestoreState(snapshot.Optimizer);
        Step = snapshot.Step;
    }

    /// <summary>Learning rate the schedule gives for the next batch of <paramref name="epoch"/>.</summary>
    public double LearningRate(int epoch) => LearningRate(epoch, Step);

    private double LearningRate(int epoch, long step) =>
        _options.Schedule.LearningRate(_options.ScheduleUnit == ScheduleUnit.Epoch ? epoch : step);

    /// <summary>
    /// One pass over <paramref name="train"/> (see <see cref="TrainBatches"/>: no host round-trip inside it); then logs
    /// LR/train and Loss/train per step; returns (mean loss, last lr). A non-finite loss throws
    /// <see cref="TrainingDivergedException"/> for the first such step, after the steps before it were logged.
    /// </summary>
    public (double MeanLoss, double LastLr) TrainEpoch(BatchLoader train, int epoch, IMetricSink sink, Action? afterBatch = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var first = Step;
        var lrs = new double[train.BatchCount];
        var losses = new double[lrs.Length];
        for (var b = 0; b < lrs.Length; b++)
        {
            lrs[b] = LearningRate(epoch, first + b);
        }

        TrainBatches(train, epoch, 0, lrs, losses, afterBatch);
        double sum = 0;
        var samples = 0;
        for (var b = 0; b < losses.Length; b++)
        {
            var (step, loss, lr) = (first + b + 1, losses[b], lrs[b]);
            if (!double.IsFinite(loss))
            {
                throw new TrainingDivergedException(
                    $"Training diverged at epoch {epoch + 1}, step {step}: the loss became {loss} with learning rate {lr:G4}.");
            }

            sink.Scalar(MetricTags.LrTrain, step, lr);
            sink.Scalar(MetricTags.LossTrain, step, loss);
            var size = train.SizeOf(b);
            sum += loss * size;
            samples += size;
        }

        return (sum / samples, lrs[^1]);
    }

    /// <summary>Mean loss and accuracy over a whole data set, without touching the parameters.</summary>
    public (double Loss, double Accuracy) Evaluate(BatchLoader data)
    {
        _loss.ReadAndReset();
        var pixels = Model.InputShape.Size;
        foreach (var batch in data.Epoch(0))
        {
            // The loader's batches may be larger than the model's: evaluate them in model-sized chunks.
            for (var start = 0; start < batch.Size; start += Model.MaxBatch)
            {
                var count = Math.Min(Model.MaxBatch, batch.Size - start);
                _batch.Upload(batch.Images.Span.Slice(start * pixels, count * pixels), batch.Labels.Span.Slice(start, count), count);
                _loss.Accumulate(Model.Forward(_batch.Images, count), _batch.Labels, count);
            }
        }

        var (loss, accuracy, _) = _loss.ReadAndReset();
        return (loss, accuracy);
    }

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs, evaluating after each; every epoch's result
    /// goes to <paramref name="onEpoch"/> and its test metrics to the sink; <paramref name="afterBatch"/> ticks a progress bar.
    /// A resumed run (state put back by <see cref="Restore"/>) starts at <paramref name="firstEpoch"/> (0-based).
    /// </summary>
    public IReadOnlyList<EpochResult> Fit(
        BatchLoader train, BatchLoader test, IMetricSink sink, Action<EpochResult>? onEpoch = null, Action? afterBatch = null, int firstEpoch = 0)
    {
        var results = new List<EpochResult>();
        var clock = Stopwatch.StartNew();
        for (var epoch = firstEpoch; epoch < _options.Epochs; epoch++)
        {
            var started = clock.Elapsed;
            var (trainLoss, lr) = TrainEpoch(train, epoch, sink, afterBatch);
            Backend.Synchronize();
            var seconds = (clock.Elapsed - started).TotalSeconds;
            var (testLoss, accuracy) = Evaluate(test);
            sink.Scalar(MetricTags.LossTest, epoch + 1, testLoss);
            sink.Scalar(MetricTags.AccuracyTest, epoch + 1, accuracy);
            var result = new EpochResult(epoch + 1, trainLoss, testLoss, accuracy, lr, train.Dataset.Count / seconds, clock.Elapsed);
            results.Add(result);
            onEpoch?.Invoke(result);
        }

        return results;
    }

    public void Dispose()
    {
        _optimizerState?.Dispose();
        Model.Dispose();
        _loss.Dispose();
        _batch.Dispose();
        _log.Dispose();
        _resident?.Dispose();
    }
}
