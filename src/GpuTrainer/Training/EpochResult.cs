namespace GpuTrainer.Training;

/// <summary>What one epoch produced: mean train loss, test loss and accuracy, the last learning rate, speed.</summary>
public sealed record EpochResult(
    int Epoch, double TrainLoss, double TestLoss, double TestAccuracy,
    double LearningRate, double ImagesPerSecond, TimeSpan Elapsed);
