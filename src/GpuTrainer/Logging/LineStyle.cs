namespace GpuTrainer.Logging;

/// <summary>How a <see cref="LinePlot"/> series' line is drawn.</summary>
public enum LineStyle
{
    /// <summary>A continuous line.</summary>
    Solid,

    /// <summary>Long dashes.</summary>
    Dashed,

    /// <summary>Short dots.</summary>
    Dotted,
}
