using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Nn;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>
/// One whole LeNet-5 training step through <see cref="Trainer.TrainBatch"/> on a fixed synthetic batch:
/// upload, forward, fused softmax cross-entropy, backward, one fused Adam step (lr 1e-3), counted in images.
/// </summary>
public sealed class LeNetStepWorkload : Workload
{
    private readonly int _batch;

    public LeNetStepWorkload(int batch)
        : base($"lenet-step-n{batch}", $"LeNet-5 step, batch {batch}", batch, WorkUnit.Images) => _batch = batch;

    public override PreparedRun Prepare(IBackend backend)
    {
        var trainer = new Trainer(backend, [new TrainingOptions { Schedule = new FixedLr(1e-3), Batch = _batch, Epochs = 1 }]);
        var random = new Random(1234);
        var images = new float[_batch * 28 * 28];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var labels = Enumerable.Range(0, _batch).Select(i => (float)(i % LeNet5.Classes)).ToArray();
        var batch = new Batch(0, _batch, images, labels);
        double[] lr = [1e-3], loss = [0];
        return new PreparedRun(backend, () => trainer.TrainBatch(batch, lr, loss), () => trainer.Model.ReadParameters(), trainer);
    }
}
