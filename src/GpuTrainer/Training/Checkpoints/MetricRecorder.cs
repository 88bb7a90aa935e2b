using GpuTrainer.Logging;

namespace GpuTrainer.Training.Checkpoints;

/// <summary>Keeps every scalar of a run in memory, in order, so a checkpoint can carry the metrics so far.</summary>
public sealed class MetricRecorder : IMetricSink
{
    private readonly List<MetricRow> _rows = [];

    /// <summary>The rows so far.</summary>
    public IReadOnlyList<MetricRow> Rows => _rows;

    /// <inheritdoc />
    public void Scalar(string tag, long step, double value) => _rows.Add(new MetricRow(tag, step, value));

    /// <inheritdoc />
    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
