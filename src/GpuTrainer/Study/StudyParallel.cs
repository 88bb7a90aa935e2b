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
    /// else as many as a quarter of the available memory holds at this batch size, at most <see cref="DefaultCap"/>.
    /// </summary>
    public static int Resolve(int requested, int cells, int batch)
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

        var perModel = 4.0 * Model.FloatsPerMember(LeNet5.InputShape(), batch, LeNet5.Layers());
        var fits = (int)Math.Min(DefaultCap, MemoryShare * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / perModel);
        return Math.Clamp(fits, 1, cells);
    }
}
