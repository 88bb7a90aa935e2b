namespace GpuTrainer.Cli;

/// <summary>
/// Turns the first Ctrl-C into a cancelled <see cref="Token"/> (the run stops at its next checkpoint, exit code 130);
/// a second Ctrl-C ends the process at once, as usual.
/// </summary>
public sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    public InterruptSignal() => Console.CancelKeyPress += OnCancel;

    /// <summary>Cancelled by the first Ctrl-C.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested)
        {
            return;
        }

        e.Cancel = true;
        _source.Cancel();
        Console.Error.WriteLine("gputrainer: stopping after this epoch's checkpoint; press Ctrl-C again to stop at once.");
    }
}
