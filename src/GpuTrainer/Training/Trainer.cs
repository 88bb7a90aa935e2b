using System.Diagnostics;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Nn;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;

namespace GpuTrainer.Training;

/// <summary>
/// The training loop for one model, optimizer and schedule on one backend. One step:
/// upload batch -> forward -> fused softmax-cross-entropy -> backward -> lr = schedule(step) ->
/// ONE fused optimizer launch -> metric sinks receive (step, lr, loss). Each epoch ends with an
/// evaluation on the test set. A non-finite loss throws <see cref="TrainingDivergedException"/>.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly SoftmaxCrossEntropyLoss _loss;
    private readonly DeviceBatch _batch;
    private readonly TrainingOptions _options;
    private readonly DeviceBuffer? _optimizerState;   // the optimizer's state arenas back to back (momentum; m, v)

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
    }

    public IBackend Backend { get; }
    public Sequential Model { get; }
    public IOptimizer Optimizer { get; }

    /// <summary>Batches trained so far (the global step).</summary>
    public long Step { get; private set; }

    /// <summary>
    /// Trains on one batch with learning rate <paramref name="lr"/> and returns its mean loss.
    /// Used by <see cref="TrainEpoch"/> and by the LR range test, which sets the rate itself.
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
        var logits = Model.Forward(images, count);
        _loss.Accumulate(logits, labels, count);
        Model.Backward(images, _loss.DLogits(count), count);
        Optimizer.Step(lr);
        Step++;
        var (loss, _, _) = _loss.ReadAndReset();
        return loss;
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
    public double LearningRate(int epoch) =>
        _options.Schedule.LearningRate(_options.ScheduleUnit == ScheduleUnit.Epoch ? epoch : Step);

    /// <summary>One pass over <paramref name="train"/>; logs LR/train and Loss/train per step; returns (mean loss, last lr).</summary>
    public (double MeanLoss, double LastLr) TrainEpoch(BatchLoader train, int epoch, IMetricSink sink, Action? afterBatch = null)
    {
        double sum = 0, lr = double.NaN;
        var samples = 0;
        foreach (var batch in train.Epoch(epoch))
        {
            lr = LearningRate(epoch);
            var loss = TrainBatch(batch, lr);
            if (!double.IsFinite(loss))
            {
                throw new TrainingDivergedException(
                    $"Training diverged at epoch {epoch + 1}, step {Step}: the loss became {loss} with learning rate {lr:G4}.");
            }

            sink.Scalar(MetricTags.LrTrain, Step, lr);
            sink.Scalar(MetricTags.LossTrain, Step, loss);
            sum += loss * batch.Size;
            samples += batch.Size;
            afterBatch?.Invoke();
        }

        return (sum / samples, lr);
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
    }
}
