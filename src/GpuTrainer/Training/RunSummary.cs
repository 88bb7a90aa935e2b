namespace GpuTrainer.Training;

/// <summary>What a finished run reports, and writes to summary.json in its folder.</summary>
public sealed record RunSummary(
    string Device, string Data, int TrainImages, int TestImages, string Optimizer, string Schedule,
    int Epochs, int Batch, int Seed, string OutputDirectory,
    double BestAccuracy, int BestEpoch, double FinalAccuracy, double FinalTestLoss, double FinalTrainLoss,
    double Seconds, IReadOnlyList<EpochResult> History);
