namespace GpuTrainer.Training;

/// <summary>The metric tags every run writes (TensorBoard and CSV alike).</summary>
public static class MetricTags
{
    /// <summary>Learning rate, per step.</summary>
    public const string LrTrain = "LR/train";

    /// <summary>Mean loss of the step's batch, per step.</summary>
    public const string LossTrain = "Loss/train";

    /// <summary>Mean loss on the test set, per epoch.</summary>
    public const string LossTest = "Loss/test";

    /// <summary>Test accuracy in [0, 1], per epoch.</summary>
    public const string AccuracyTest = "Accuracy/test";
}
