using static GpuTrainer.Logging.TensorBoardEventFields;

namespace GpuTrainer.Logging;

/// <summary>
/// Writes scalars to a standard TensorBoard event file "events.out.tfevents.&lt;unix-seconds&gt;.&lt;hostname&gt;"
/// in a run directory: TFRecord framing around Event protos, the first holding file_version "brain.Event:2",
/// then one Event{wall_time, step, summary{value{tag, simple_value}}} per scalar. Values are stored as
/// float32, as TensorBoard's simple_value is.
/// <para>
/// Unlike the CSV sink this file is written under its final name from the start: TensorBoard tails
/// event files while they grow, and each record is written whole with its own CRCs, so a reader
/// (TensorBoard, or the tests' reader) recognises a record cut short by a crash.
/// A name already taken gets a ".1", ".2", ... suffix; existing files are never touched.
/// </para>
/// </summary>
public sealed class TensorBoardEventWriter : IMetricSink
{
    private readonly FileStream _stream;
    private readonly TimeProvider _clock;
    private readonly ProtoWriter _event = new();
    private readonly ProtoWriter _summary = new();
    private readonly ProtoWriter _value = new();
    private bool _disposed;

    /// <summary>Creates a new event file in <paramref name="runDirectory"/> (created if missing).</summary>
    /// <param name="runDirectory">The run's log directory, e.g. "runs/adam-step-1e-3".</param>
    /// <param name="clock">Source of wall times and of the file name's timestamp; the system clock by default.</param>
    public TensorBoardEventWriter(string runDirectory, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        _clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(runDirectory);
        var baseName = Path.Combine(
            Path.GetFullPath(runDirectory),
            $"events.out.tfevents.{_clock.GetUtcNow().ToUnixTimeSeconds()}.{Environment.MachineName}");
        _stream = CreateUnique(baseName, out var path);
        FilePath = path;
        _event.Double(EventWallTime, WallTime());
        _event.String(EventFileVersion, FileVersion);
        TfRecord.Write(_stream, _event.Written);
    }

    /// <summary>Path of the event file being written.</summary>
    public string FilePath { get; }

    /// <summary>Appends an Event holding one simple_value scalar.</summary>
    public void Scalar(string tag, long step, double value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _value.Clear();
        _value.String(ValueTag, tag);
        _value.Float(ValueSimpleValue, (float)value);
        _summary.Clear();
        _summary.Bytes(SummaryValue, _value.Written);
        _event.Clear();
        _event.Double(EventWallTime, WallTime());
        if (step != 0)
        {
            // proto3 leaves default values out; doing the same keeps the bytes canonical.
            _event.Int64(EventStep, step);
        }

        _event.Bytes(EventSummary, _summary.Written);
        TfRecord.Write(_stream, _event.Written);
    }

    /// <summary>Pushes buffered records to the operating system, where TensorBoard can see them.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Flush();
    }

    /// <summary>Flushes the file to disk and closes it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
    }

    private static FileStream CreateUnique(string baseName, out string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            path = attempt == 0 ? baseName : $"{baseName}.{attempt}";
            if (!File.Exists(path))
            {
                try
                {
                    return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another writer took the name between the check and the create; try the next suffix.
                }
            }
        }
    }

    private double WallTime() => (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
}
