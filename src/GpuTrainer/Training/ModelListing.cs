using System.Globalization;
using GpuTrainer.Nn;

namespace GpuTrainer.Training;

/// <summary>
/// `gputrainer models`: every preset (and <paramref name="Model"/>, when given) with its parameters, forward FLOPs per
/// image and the shape each layer produces on the images of <paramref name="Data"/> (the embedded sample when null).
/// A model that does not suit the data gets the one sentence that says why instead of its layers.
/// </summary>
/// <param name="Data">A data directory or data set name (--data), as for run.</param>
/// <param name="Model">A model to list beside the presets (--model): a preset name, a file or a description.</param>
public sealed record ModelListing(string? Data, string? Model)
{
    /// <summary>Writes the listing to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">An unknown --model (the presets are always listed).</exception>
    public void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var extra = Model is null ? null : ModelDescription.Resolve(Model);
        var data = RunData.Load(Data);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"models on {data.Directory}: {data.Shape} images, {data.Classes} classes"));
        var models = ModelDescription.Presets.Select(p => ModelDescription.Resolve(p.Name)).ToList();
        if (extra is not null && models.All(m => m.Text != extra.Text))
        {
            models.Add(extra);
        }

        foreach (var model in models)
        {
            output.WriteLine();
            IReadOnlyList<ModelDescription.PlannedLayer> plan;
            try
            {
                plan = model.Plan(data.Shape, data.Classes);
            }
            catch (ArgumentException e)
            {
                output.WriteLine($"{model.Name} ({model.Label}): does not suit this data: {e.Message}");
                continue;
            }

            output.WriteLine(string.Create(c,
                $"{model.Name} ({model.Label}): {plan.Sum(p => p.Parameters):N0} parameters, {plan.Sum(p => p.Flops) / 1e6:N2} MFLOP per image (forward; a multiply-add is 2)"));
            output.WriteLine(string.Create(c, $"  {"input",-40} {data.Shape,-14}"));
            foreach (var layer in plan)
            {
                output.WriteLine(string.Create(c, $"  {layer.Spec,-40} {layer.Output,-14} {layer.Parameters,12:N0} params {layer.Flops / 1e6,10:N3} MFLOP"));
            }
        }
    }
}
