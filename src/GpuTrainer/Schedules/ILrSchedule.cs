namespace GpuTrainer.Schedules;

/// <summary>
/// A learning-rate schedule: a pure function of the scheduler step, so resuming a run needs only the step
/// counter. Whether one step is a batch or an epoch is the trainer's choice. Values reproduce PyTorch's
/// torch.optim.lr_scheduler: <c>LearningRate(k)</c> is the optimizer's lr after k calls of scheduler.step().
/// </summary>
public interface ILrSchedule
{
    /// <summary>The learning rate after <paramref name="step"/> scheduler steps (0-based, must not be negative).</summary>
    double LearningRate(long step);
}
