using System.Globalization;

namespace GpuTrainer.Nn;

/// <summary>The layer kinds a model description lists (see <see cref="ModelDescription"/>).</summary>
public enum LayerKind
{
    Conv,
    MaxPool,
    AvgPool,
    Relu,
    Flatten,
    Linear,
}

/// <summary>
/// One line of a model description: a layer kind and its arguments (conv: out channels, kernel, stride, padding;
/// maxpool/avgpool: kernel, stride; linear: out features; relu, flatten: none). The input side of each layer
/// (channels, features) is not written: it comes from the layer before it, the first from the data.
/// </summary>
/// <param name="Kind">The layer.</param>
/// <param name="Out">Output channels (conv) or features (linear); 0 for the others.</param>
/// <param name="Kernel">The square window's side (conv, pools); 0 for the others.</param>
/// <param name="Stride">The window's step (conv, pools); 0 for the others.</param>
/// <param name="Padding">Zero padding on every side (conv); 0 for the others.</param>
public sealed record LayerSpec(LayerKind Kind, int Out = 0, int Kernel = 0, int Stride = 0, int Padding = 0)
{
    /// <summary>The layer in the description format with every argument named, e.g. "conv 6 kernel=5 stride=1 padding=2".</summary>
    public override string ToString() => Kind switch
    {
        LayerKind.Conv => string.Create(CultureInfo.InvariantCulture, $"conv {Out} kernel={Kernel} stride={Stride} padding={Padding}"),
        LayerKind.MaxPool or LayerKind.AvgPool => string.Create(CultureInfo.InvariantCulture, $"{KindName(Kind)} {Kernel} stride={Stride}"),
        LayerKind.Linear => string.Create(CultureInfo.InvariantCulture, $"linear {Out}"),
        _ => KindName(Kind),
    };

    /// <summary>The word the format uses for <paramref name="kind"/>.</summary>
    public static string KindName(LayerKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The arguments <paramref name="kind"/> takes, in positional order.</summary>
    public static IReadOnlyList<string> ArgumentsOf(LayerKind kind) => kind switch
    {
        LayerKind.Conv => ["out", "kernel", "stride", "padding"],
        LayerKind.MaxPool or LayerKind.AvgPool => ["kernel", "stride"],
        LayerKind.Linear => ["out"],
        _ => [],
    };
}
