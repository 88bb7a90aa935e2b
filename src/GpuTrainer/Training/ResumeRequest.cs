using GpuTrainer.Compute;

namespace GpuTrainer.Training;

/// <summary>Continuing a run from its latest checkpoint (`gputrainer run --resume DIR`); the recipe comes from the checkpoint.</summary>
/// <param name="Directory">The run folder (its final name or its ".name.partial" folder).</param>
/// <param name="Epochs">Epochs of the whole run; null keeps the recipe's, more extends a finished run.</param>
/// <param name="Device">Which backend continues it.</param>
/// <param name="Threads">Threads for the managed CPU backend; 0 for every core.</param>
public sealed record ResumeRequest(string Directory, int? Epochs, DeviceKind Device, int Threads)
{
    /// <summary>The options given beside --resume that would change the stored recipe (e.g. "--lr"); they are refused.</summary>
    public IReadOnlyList<string> RecipeOptions { get; init; } = [];

    /// <summary>Refuses, in one sentence, options that the checkpoint's recipe already fixes.</summary>
    /// <exception cref="OptionsException">An option other than --epochs, --device and --threads was given.</exception>
    public void Validate()
    {
        if (RecipeOptions.Count > 0)
        {
            throw new OptionsException(
                $"--resume continues a run with the recipe, data and folder stored in its checkpoint; only --epochs, --device and --threads may go with it, not {string.Join(", ", RecipeOptions)}.");
        }
    }
}
