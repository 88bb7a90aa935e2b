namespace GpuTrainer.Reports;

/// <summary>How a <see cref="LinePlot"/> series' line is drawn: in the study's plots, one style per schedule.</summary>
public enum LineStyle
{
    /// <summary>A continuous line.</summary>
    Solid,

    /// <summary>Long dashes.</summary>
    Dashed,

    /// <summary>Short dots.</summary>
    Dotted,
}
