using GpuTrainer.Optim;

namespace GpuTrainer.Training.Checkpoints;

/// <summary>
/// Everything needed to continue a run after <see cref="Epoch"/> epochs exactly as if it had not stopped. The data
/// order's position is (seed, <see cref="Epoch"/>): checkpoints are taken at epoch ends and each epoch's order is a
/// function of the seed and the epoch only, so the next batch is batch 0 of epoch <see cref="Epoch"/> (0-based).
/// </summary>
/// <param name="Model">The model's description (<see cref="Nn.ModelDescription.Text"/>; "LeNet-5" in checkpoints written before models were described).</param>
/// <param name="ImageSide">Side of its square input images.</param>
/// <param name="TrainImages">Images in the training split it was trained on.</param>
/// <param name="TestImages">Images in the test split it was evaluated on.</param>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Step">Batches trained (the trainer's global step, which also drives a per-batch schedule).</param>
/// <param name="Seed">Seed of the initialisation and of the data order.</param>
/// <param name="Recipe">The recipe; null when the run was started without one (then only the library can resume it).</param>
/// <param name="History">The per-epoch results so far.</param>
/// <param name="Parameters">The flat parameter arena.</param>
/// <param name="OptimizerName">"sgd", "adam" or "adamw".</param>
/// <param name="Optimizer">The optimizer's step counter and state arenas.</param>
/// <param name="Metrics">Every scalar logged so far, in order (metrics.csv and the event file are rebuilt from them).</param>
public sealed record Checkpoint(
    string Model, int ImageSide, int TrainImages, int TestImages, int Epoch, long Step, int Seed, RunRecipe? Recipe,
    IReadOnlyList<EpochResult> History, float[] Parameters, string OptimizerName, OptimizerState Optimizer, IReadOnlyList<MetricRow> Metrics);
