using GpuTrainer.Logging;

namespace GpuTrainer.Tests.LrFinder;

/// <summary>Keeps every scalar it receives, in order.</summary>
internal sealed class RecordingSink : IMetricSink
{
    public List<(string Tag, long Step, double Value)> Scalars { get; } = [];

    public IEnumerable<(long Step, double Value)> Of(string tag) => Scalars.Where(s => s.Tag == tag).Select(s => (s.Step, s.Value));

    public void Scalar(string tag, long step, double value) => Scalars.Add((tag, step, value));

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
