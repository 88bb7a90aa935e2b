namespace GpuTrainer.Tests.Logging;

/// <summary>One decoded Event record of a TensorBoard event file.</summary>
/// <param name="Offset">Byte offset of the record in its file.</param>
/// <param name="WallTime">Event.wall_time, seconds since the Unix epoch.</param>
/// <param name="Step">Event.step.</param>
/// <param name="FileVersion">Event.file_version, e.g. "brain.Event:2"; null for other events.</param>
/// <param name="Scalars">The summary values that carry a simple_value, in file order; empty when none.</param>
public sealed record TensorBoardEvent(
    long Offset, double WallTime, long Step, string? FileVersion, IReadOnlyList<TensorBoardScalar> Scalars);

/// <summary>One scalar of a TensorBoard event: Summary.Value{tag, simple_value} with its event's time and step.</summary>
/// <param name="WallTime">Event.wall_time of the event holding the value.</param>
/// <param name="Step">Event.step of the event holding the value.</param>
/// <param name="Tag">Summary.Value.tag, e.g. "Loss/train".</param>
/// <param name="Value">Summary.Value.simple_value.</param>
public readonly record struct TensorBoardScalar(double WallTime, long Step, string Tag, float Value);
