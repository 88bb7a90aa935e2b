namespace GpuTrainer.Logging;

/// <summary>
/// Receives scalar metrics as training runs. Implementations write them somewhere durable
/// (TensorBoard event files, CSV); <see cref="IDisposable.Dispose"/> flushes and finishes the output.
/// </summary>
public interface IMetricSink : IDisposable
{
    /// <summary>Records one scalar, e.g. <see cref="MetricTags.LossTrain"/> at a global step.</summary>
    /// <param name="tag">Metric name, e.g. "Loss/train".</param>
    /// <param name="step">Global step (per-step tags) or epoch-end step (per-epoch tags).</param>
    /// <param name="value">The value; NaN and infinities are recorded as they are.</param>
    void Scalar(string tag, long step, double value);

    /// <summary>Pushes everything recorded so far to the operating system.</summary>
    void Flush();
}
