using System.Globalization;

namespace GpuTrainer.Logging;

/// <summary>Reads back what <see cref="CsvMetricSink"/> wrote: the (step, value) pairs of one tag, in file order.</summary>
public static class CsvMetricReader
{
    /// <summary>The rows of <paramref name="tag"/> in the metrics file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">A row is not <c>tag,step,value</c>.</exception>
    public static IReadOnlyList<(long Step, double Value)> Read(string path, string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var rows = new List<(long, double)>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            // The tag may be quoted (it may hold a comma); step and value never are, so the last two commas split the row.
            var valueAt = line.LastIndexOf(',');
            var stepAt = valueAt > 0 ? line.LastIndexOf(',', valueAt - 1) : -1;
            if (stepAt < 0)
            {
                throw new FormatException($"{path}: the row '{line}' is not tag,step,value.");
            }

            var field = line[..stepAt];
            var name = field.StartsWith('"') ? field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : field;
            if (name == tag)
            {
                rows.Add((long.Parse(line[(stepAt + 1)..valueAt], CultureInfo.InvariantCulture), double.Parse(line[(valueAt + 1)..], CultureInfo.InvariantCulture)));
            }
        }

        return rows;
    }
}
