using System.Globalization;

namespace GpuTrainer.Training;

/// <summary>The loss became NaN or infinite: the run cannot go on with this learning rate.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message)
{
    /// <summary>The one sentence for a loss that stopped being finite in <paramref name="epoch"/> (from 0) at global step <paramref name="step"/> (from 1).</summary>
    internal static string Describe(int epoch, long step, double loss, double lr) =>
        string.Create(CultureInfo.CurrentCulture, $"Training diverged at epoch {epoch + 1}, step {step}: the loss became {loss} with learning rate {lr:G4}.");
}
