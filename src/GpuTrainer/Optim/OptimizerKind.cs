namespace GpuTrainer.Optim;

/// <summary>The optimizers a run can use.</summary>
public enum OptimizerKind
{
    Sgd,
    Adam,
    AdamW,
}
