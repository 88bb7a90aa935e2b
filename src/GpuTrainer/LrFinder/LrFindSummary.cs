namespace GpuTrainer.LrFinder;

/// <summary>What a finished range test reports, and writes to summary.json in its folder.</summary>
/// <param name="Device">The backend's name.</param>
/// <param name="Data">The data directory.</param>
/// <param name="Optimizer">"sgd", "adam" or "adamw".</param>
/// <param name="Batch">Batch size.</param>
/// <param name="Seed">Seed of initialisation and shuffling.</param>
/// <param name="Sweep">The sweep as run.</param>
/// <param name="StepsRun">Steps trained before the sweep ended.</param>
/// <param name="StopReason">Why it ended.</param>
/// <param name="StopLr">The rate of the last step.</param>
/// <param name="Suggestions">The suggested rates; null when the curve has no band (see <paramref name="Error"/>).</param>
/// <param name="Error">Why there are no suggestions; null when there are.</param>
/// <param name="Passes">Test loss after each complete pass over the training data.</param>
/// <param name="Seconds">Wall time of the sweep.</param>
/// <param name="OutputDirectory">The run folder.</param>
public sealed record LrFindSummary(
    string Device, string Data, string Optimizer, int Batch, int Seed, LrSweepOptions Sweep,
    int StepsRun, LrStopReason StopReason, double StopLr, LrSuggestions? Suggestions, string? Error,
    IReadOnlyList<LrPassResult> Passes, double Seconds, string OutputDirectory);
