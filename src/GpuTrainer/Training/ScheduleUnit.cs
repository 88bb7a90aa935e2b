namespace GpuTrainer.Training;

/// <summary>What one step of a learning-rate schedule counts.</summary>
public enum ScheduleUnit
{
    /// <summary>The schedule advances once per epoch (PyTorch's usual scheduler.step() after each epoch).</summary>
    Epoch,
    /// <summary>The schedule advances after every batch.</summary>
    Batch,
}
