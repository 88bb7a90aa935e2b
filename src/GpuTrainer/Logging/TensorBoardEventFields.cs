namespace GpuTrainer.Logging;

/// <summary>
/// Field numbers of the TensorBoard protos this code writes and reads
/// (tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto).
/// </summary>
internal static class TensorBoardEventFields
{
    /// <summary>The file_version every event file starts with.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>Event.wall_time: double, seconds since the Unix epoch.</summary>
    public const int EventWallTime = 1;

    /// <summary>Event.step: int64.</summary>
    public const int EventStep = 2;

    /// <summary>Event.file_version: string (oneof what).</summary>
    public const int EventFileVersion = 3;

    /// <summary>Event.summary: Summary (oneof what).</summary>
    public const int EventSummary = 5;

    /// <summary>Summary.value: repeated Summary.Value.</summary>
    public const int SummaryValue = 1;

    /// <summary>Summary.Value.tag: string.</summary>
    public const int ValueTag = 1;

    /// <summary>Summary.Value.simple_value: float (oneof value).</summary>
    public const int ValueSimpleValue = 2;
}
