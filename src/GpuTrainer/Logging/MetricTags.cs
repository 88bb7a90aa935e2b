namespace GpuTrainer.Logging;

/// <summary>The metric tags the product records, shared by every sink and reader.</summary>
public static class MetricTags
{
    /// <summary>Learning rate used at a training step.</summary>
    public const string LrTrain = "LR/train";

    /// <summary>Mean loss of the training batch at a step.</summary>
    public const string LossTrain = "Loss/train";

    /// <summary>Mean loss over the test set at the end of an epoch.</summary>
    public const string LossTest = "Loss/test";

    /// <summary>Accuracy (0..1) over the test set at the end of an epoch.</summary>
    public const string AccuracyTest = "Accuracy/test";
}
