using System.Globalization;

namespace GpuTrainer.Logging;

/// <summary>
/// Reports progress of long work (epochs, LR range tests, study grids) with percent, rate, elapsed time and ETA.
/// On a terminal it redraws one line in place ("\r"), at most ten times a second. When output is redirected
/// to a file or pipe it never writes "\r": it prints a plain line each time another tenth of the work is done,
/// or every <see cref="RedirectedInterval"/> when progress is slow. <see cref="Complete"/> prints the final
/// line; disposing an unfinished reporter ends its line where it stopped, so an error message that follows
/// starts on a line of its own.
/// </summary>
public sealed class ConsoleProgress : IDisposable
{
    /// <summary>Shortest time between two redraws on a terminal.</summary>
    public static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest time between two lines in redirected output while work progresses.</summary>
    public static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(30);

    private const int BarWidth = 24;
    private const double MaxEtaSeconds = 100 * 3600;

    private readonly string _label;
    private readonly long _total;
    private readonly string _unit;
    private readonly TextWriter _output;
    private readonly bool _isTerminal;
    private readonly TimeProvider _clock;
    private readonly int _maxLineLength;
    private readonly long _start;
    private long _completed;
    private long _lastWrite;
    private long _shown = -1;
    private long _lastTenth;
    private int _lastLength;
    private bool _finished;

    /// <summary>A reporter writing to <paramref name="output"/>.</summary>
    /// <param name="label">What is being done, e.g. "epoch 3/10".</param>
    /// <param name="total">Number of items the work has; positive.</param>
    /// <param name="output">Where lines go.</param>
    /// <param name="isTerminal">True to redraw a live line in place; false for plain periodic lines.</param>
    /// <param name="clock">Time source; the system clock by default.</param>
    /// <param name="unit">Item name used in the rate, e.g. "it" gives "it/s".</param>
    /// <param name="terminalWidth">
    /// Columns of the terminal: a live line that would wrap drops its bar, then is cut, since "\r" cannot
    /// return over a wrapped line. Null for no limit.
    /// </param>
    public ConsoleProgress(
        string label, long total, TextWriter output, bool isTerminal, TimeProvider? clock = null, string unit = "it", int? terminalWidth = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        (_label, _total, _output, _isTerminal, _unit) = (label, total, output, isTerminal, unit);
        _clock = clock ?? TimeProvider.System;
        _maxLineLength = terminalWidth is { } width ? Math.Max(1, width - 1) : int.MaxValue;
        _start = _clock.GetTimestamp();
        _lastWrite = _start;
    }

    /// <summary>A reporter on standard output, live when it is a terminal and plain when it is redirected.</summary>
    public static ConsoleProgress ForConsole(string label, long total, string unit = "it")
    {
        var isTerminal = !Console.IsOutputRedirected;
        return new(label, total, Console.Out, isTerminal, unit: unit, terminalWidth: isTerminal && Console.WindowWidth > 0 ? Console.WindowWidth : null);
    }

    /// <summary>Items done so far.</summary>
    public long Completed => _completed;

    /// <summary>Records that <paramref name="completed"/> of the total items are done (0..total).</summary>
    public void Report(long completed)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        ArgumentOutOfRangeException.ThrowIfNegative(completed);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(completed, _total);
        _completed = completed;
        var now = _clock.GetTimestamp();
        var sinceLast = _clock.GetElapsedTime(_lastWrite, now);
        if (_isTerminal)
        {
            if (_shown < 0 || sinceLast >= TerminalInterval)
            {
                Redraw(now);
            }

            return;
        }

        var tenth = completed * 10 / _total;
        if (tenth > _lastTenth || sinceLast >= RedirectedInterval)
        {
            _lastTenth = tenth;
            WriteLine(now);
        }
    }

    /// <summary>Records <paramref name="count"/> more items done.</summary>
    public void Advance(long count = 1) => Report(_completed + count);

    /// <summary>Marks all the work done and prints the final line.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _completed = _total;
        Finish();
    }

    /// <summary>Ends the output: the final state is shown (unless already shown) and the line is terminated.</summary>
    public void Dispose()
    {
        if (!_finished)
        {
            Finish();
        }
    }

    private void Finish()
    {
        _finished = true;
        var now = _clock.GetTimestamp();
        if (_isTerminal)
        {
            if (_shown != _completed || _lastWrite != now)
            {
                Redraw(now);
            }

            _output.WriteLine();
        }
        else if (_shown != _completed)
        {
            WriteLine(now);
        }

        _output.Flush();
    }

    private void Redraw(long now)
    {
        var line = Describe(now, bar: true);
        if (line.Length > _maxLineLength)
        {
            line = Describe(now, bar: false);
            line = line[..Math.Min(line.Length, _maxLineLength)];
        }

        _output.Write('\r');
        _output.Write(line.PadRight(_lastLength));
        _output.Flush();
        _lastLength = line.Length;
        _lastWrite = now;
        _shown = _completed;
    }

    private void WriteLine(long now)
    {
        _output.WriteLine(Describe(now, bar: false));
        _lastWrite = now;
        _shown = _completed;
    }

    private string Describe(long now, bool bar)
    {
        var elapsed = _clock.GetElapsedTime(_start, now);
        var fraction = (double)_completed / _total;
        var rate = elapsed > TimeSpan.Zero ? _completed / elapsed.TotalSeconds : 0;
        var c = CultureInfo.InvariantCulture;
        var text = bar
            ? $"{_label} [{new string('#', (int)(fraction * BarWidth)).PadRight(BarWidth, '.')}] "
            : $"{_label}: ";
        text += string.Create(c, $"{fraction * 100,5:F1}% {_completed}/{_total}  {rate:F1} {_unit}/s  elapsed {Clock(elapsed)}");
        if (_completed < _total)
        {
            var remaining = rate > 0 ? (_total - _completed) / rate : double.PositiveInfinity;
            text += "  ETA " + (remaining < MaxEtaSeconds ? Clock(TimeSpan.FromSeconds(remaining)) : "?");
        }

        return text;
    }

    private static string Clock(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
}
