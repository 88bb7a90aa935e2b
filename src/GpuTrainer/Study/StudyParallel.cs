using GpuTrainer.Nn;

namespace GpuTrainer.Study;

/// <summary>How many cells of a study train together as one model group (one array task).</summary>
public static class StudyParallel
{
    /// <summary>A <see cref="StudyRequest.Parallel"/> of as many cells as memory allows (a single-machine study's default).</summary>
    public const int Auto = 0;

    /// <summary>Cells per array task when the study's phases run as separate jobs and none is asked for: one, so a scheduler spreads the cells.</summary>
    public const int PhasesDefault = 1;

    /// <summary>The most cells one group takes by default (a group may hold more when asked).</summary>
    public const int DefaultCap = 32;

    /// <summary>Share of the memory the runtime reports available that a group may fill.</summary>
    private const double MemoryShare = 0.25;

    /// <summary>
    /// The group size for <paramref name="cells"/> cells: <paramref name="requested"/> when positive (at most the cells),
    /// else as many as a quarter of the available memory holds at this batch size, at most <see cref="DefaultCap"/>. Decided
    /// before the data is read, so <paramref name="model"/> (LeNet-5 when null) is measured on MNIST's 1x28x28 images,
    /// or CIFAR-10's 3x32x32 when it does not fit those.
    /// </summary>
    public static int Resolve(int requested, int cells, int batch, ModelDescription? model = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requested);
        if (cells <= 1)
        {
            return 1;
        }

        if (requested > 0)
        {
            return Math.Min(requested, cells);
        }

        var perModel = BytesPerModel(model ?? ModelDescription.LeNet5, batch);
        var fits = perModel is null ? DefaultCap : (int)Math.Min(DefaultCap, MemoryShare * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / perModel.Value);
        return Math.Clamp(fits, 1, cells);
    }

    // One member's bytes on MNIST's or CIFAR-10's images, the first the model fits; null when it fits neither.
    private static double? BytesPerModel(ModelDescription model, int batch)
    {
        foreach (var shape in new SampleShape[] { LeNet5.InputShape(), new(3, 32, 32) })
        {
            try
            {
                return model.BytesFor(shape, LeNet5.Classes, batch, 1);
            }
            catch (ArgumentException)
            {
                // the next shape
            }
        }

        return null;
    }
}
