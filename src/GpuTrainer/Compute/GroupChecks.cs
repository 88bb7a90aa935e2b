namespace GpuTrainer.Compute;

/// <summary>Argument checks shared by the grouped operations of <see cref="IBackend"/>.</summary>
internal static class GroupChecks
{
    /// <summary>The K shared by every argument; throws when they disagree.</summary>
    public static int Models(params ReadOnlySpan<GroupTensor> views)
    {
        var models = views[0].Models;
        foreach (var view in views)
        {
            if (view.Models != models)
            {
                throw new ArgumentException($"The views of a grouped operation must cover the same number of models, got {view.Models} and {models}.");
            }
        }

        return models;
    }

    /// <summary>Checks that the optimizer table has one row per model.</summary>
    public static void Table(int rows, params ReadOnlySpan<GroupTensor> views)
    {
        var models = Models(views);
        if (rows != models)
        {
            throw new ArgumentException($"The optimizer table has {rows} rows but the group has {models} models.");
        }
    }
}
