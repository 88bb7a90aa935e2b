namespace GpuTrainer.Reports;

/// <summary>
/// Files the build embeds into this assembly (see GpuTrainer.csproj): uPlot's script and style sheet and the DejaVu Sans
/// font, taken from report/node_modules (npm, with report/package-lock.json), and the page's own script and style.
/// </summary>
internal static class EmbeddedAssets
{
    /// <summary>The bytes of the embedded resource <paramref name="name"/>.</summary>
    public static byte[] Read(string name)
    {
        using var stream = typeof(EmbeddedAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The assembly holds no resource {name}; it was built without report/node_modules (run scripts/install-deps.sh).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The embedded resource <paramref name="name"/> as UTF-8 text.</summary>
    public static string Text(string name) => System.Text.Encoding.UTF8.GetString(Read(name));
}
