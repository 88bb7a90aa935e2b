namespace GpuTrainer.Logging;

/// <summary>Fans every metric out to several sinks (e.g. TensorBoard and CSV at once); owns and disposes them.</summary>
public sealed class CompositeMetricSink : IMetricSink
{
    private readonly IMetricSink[] _sinks;

    /// <summary>Creates a sink that forwards to <paramref name="sinks"/>, in order.</summary>
    public CompositeMetricSink(params IMetricSink[] sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = [.. sinks];
    }

    /// <inheritdoc />
    public void Scalar(string tag, long step, double value)
    {
        foreach (var sink in _sinks)
        {
            sink.Scalar(tag, step, value);
        }
    }

    /// <inheritdoc />
    public void Flush()
    {
        foreach (var sink in _sinks)
        {
            sink.Flush();
        }
    }

    /// <summary>
    /// Disposes every sink, even when one of them fails with an I/O error; a single failure is rethrown as is,
    /// several as one <see cref="AggregateException"/>.
    /// </summary>
    public void Dispose()
    {
        List<Exception>? failures = null;
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                (failures ??= []).Add(e);
            }
        }

        if (failures is { Count: 1 })
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures is not null)
        {
            throw new AggregateException("Several metric sinks failed to close.", failures);
        }
    }
}
