using System.Globalization;
using System.Text;

namespace GpuTrainer.Logging;

/// <summary>
/// Writes metrics as CSV rows "tag,step,value" under a header line, in invariant culture with
/// round-trippable doubles ("R" format; NaN, Infinity and -Infinity spelled as .NET parses them).
/// Rows go to "&lt;path&gt;.partial" while the run lasts; <see cref="Dispose"/> renames it to the
/// final path, so a process killed mid-run never leaves a truncated file under the final name.
/// Tags containing a comma, quote or line break are quoted as RFC 4180 says.
/// </summary>
public sealed class CsvMetricSink : IMetricSink
{
    /// <summary>The first line of every file.</summary>
    public const string Header = "tag,step,value";

    private readonly StagedFile _file;
    private readonly StreamWriter _writer;
    private bool _disposed;

    /// <summary>Starts a metrics file at <paramref name="path"/> (created with its directory).</summary>
    /// <param name="path">Final path of the CSV file.</param>
    /// <param name="overwrite">Replace an existing file at <paramref name="path"/> instead of throwing.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
    public CsvMetricSink(string path, bool overwrite = false)
    {
        _file = new StagedFile(path, overwrite);
        _writer = new StreamWriter(_file.Stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        _writer.WriteLine(Header);
    }

    /// <summary>Final path of the CSV file (it exists there once the sink is disposed).</summary>
    public string FilePath => _file.FinalPath;

    /// <inheritdoc />
    public void Scalar(string tag, long step, double value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.Write(Quote(tag));
        _writer.Write(',');
        _writer.Write(step.ToString(CultureInfo.InvariantCulture));
        _writer.Write(',');
        _writer.WriteLine(value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Pushes the rows written so far into the ".partial" file.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.Flush();
    }

    /// <summary>Finishes the file: flushes it and moves it to <see cref="FilePath"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _writer.Flush();
            _file.Commit();
        }
        finally
        {
            _file.Dispose();
        }
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
