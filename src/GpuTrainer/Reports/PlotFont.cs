using ScottPlot;
using SkiaSharp;

namespace GpuTrainer.Reports;

/// <summary>
/// The one font every PNG plot draws its text with: DejaVu Sans, from the npm package dejavu-fonts-ttf, embedded in
/// this assembly by the build. ScottPlot resolves every font name through it, so labels render the same on a machine
/// with no fonts installed (SkiaSharp's Linux assets without dependencies find none there) as on a desktop.
/// </summary>
internal sealed class PlotFont : IFontResolver
{
    /// <summary>The family name plots ask for.</summary>
    public const string Family = "DejaVu Sans";

    private const string Resource = "GpuTrainer.Reports.DejaVuSans.ttf";

    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedAssets.Read(Resource));

    private static readonly Lock Gate = new();

    private static bool _installed;

    /// <summary>Puts the embedded font in front of ScottPlot's resolvers and makes it the default; idempotent.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            Fonts.FontResolvers.Insert(0, new PlotFont());
            Fonts.Default = Family;
            _installed = true;
        }
    }

    /// <summary>A new typeface of the embedded font for any family and style asked for (ScottPlot caches it).</summary>
    public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Create();

    /// <inheritdoc cref="CreateTypeface(string, FontWeight, FontSlant, FontSpacing)"/>
    public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => Create();

    private static SKTypeface Create() =>
        SKTypeface.FromData(SKData.CreateCopy(Bytes.Value)) ?? throw new InvalidOperationException($"SkiaSharp could not read the embedded font {Resource}.");
}
