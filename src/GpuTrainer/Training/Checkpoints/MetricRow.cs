namespace GpuTrainer.Training.Checkpoints;

/// <summary>One scalar a run logged: a row of metrics.csv.</summary>
public readonly record struct MetricRow(string Tag, long Step, double Value);
