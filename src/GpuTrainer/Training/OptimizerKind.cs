namespace GpuTrainer.Training;

/// <summary>The optimizers a run can use.</summary>
public enum OptimizerKind
{
    Sgd,
    Adam,
    AdamW,
}
