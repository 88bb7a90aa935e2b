using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace GpuTrainer.Compute.Cpu;

/// <summary>One part of a parallel operation: a struct holding the operation's operands, so a fork allocates nothing.</summary>
internal interface ICpuPart
{
    /// <summary>Runs part <paramref name="part"/> of the operation.</summary>
    void Run(int part);
}

/// <summary>One contiguous range [start, end) of a parallel operation (see <see cref="CpuParallel.ForRanges{T}"/>).</summary>
internal interface ICpuRange
{
    /// <summary>Runs the elements [<paramref name="start"/>, <paramref name="end"/>).</summary>
    void Run(int start, int end);
}

/// <summary>
/// Splits work into a fixed number of parts and runs them on at most <see cref="Threads"/> threads: the calling thread
/// and <see cref="Threads"/> - 1 workers of its own, started on the first fork and kept until <see cref="Dispose"/>.
/// A fork of a struct body (<see cref="ICpuPart"/>, <see cref="ICpuRange"/>) allocates nothing, so a training step on
/// the managed backend allocates nothing either. The parts are dealt out in contiguous blocks, one per thread (the caller
/// first, then worker 1, 2, ...), so consecutive ops that split the same images alike find them in the same core's
/// cache; a thread that finishes its block takes what is left of the others'. The caller's block begins with part 0 (so
/// the scratch it needs is settled by an op's first fork). Callers choose parts that do not depend on the thread count
/// wherever results are reduced, so a result is bit-identical whatever the thread count. A fork inside a part, or while
/// another thread's fork holds the workers, runs inline on its caller.
/// </summary>
internal sealed unsafe class CpuParallel : IDisposable
{
    [ThreadStatic] private static bool _inPart;

    // How long an idle worker spins for the next fork before it sleeps: a training step forks every few hundred
    // microseconds, and waking a sleeping thread costs tens of microseconds on a virtual machine.
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000;

    private readonly object _doneGate = new();
    private bool _done;
    private Thread[]? _workers;
    private bool _stopping;
    private int _busy;

    // Forks so far (a worker takes part in each one it sees); per worker, whether it is asleep and what wakes it (its own,
    // so a worker that finished a fork and went to sleep cannot take the wake-up meant for one still asleep).
    private int _generation;
    private int[] _asleep = [];
    private SemaphoreSlim[] _wake = [];

    // Parts a thread's block holds in PartsFor.
    private const int PartsPerThread = 4;

    // The fork in flight: its body (a struct behind a pointer and its dispatcher), per thread the next part of its block
    // and the block's end (one cache line apart: Stride ints), the threads still taking parts, and the first exception a
    // part threw.
    private const int Stride = 16;
    private delegate*<void*, int, void> _dispatch;
    private void* _body;
    private readonly int[] _next, _end;
    private int _active;
    private Exception? _error;

    public CpuParallel(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Threads = threads;
        (_next, _end) = (new int[threads * Stride], new int[threads * Stride]);
    }

    public int Threads { get; }

    /// <summary>Runs body.Run(part) for every part in [0, parts); inline when there is one part or one thread.</summary>
    public void For<T>(int parts, ref T body) where T : struct, ICpuPart
    {
        if (parts <= 1 || Threads == 1 || _inPart || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (var part = 0; part < parts; part++)
            {
                body.Run(part);
            }

            return;
        }

        try
        {
            Fork(parts, &DispatchPart<T>, Unsafe.AsPointer(ref body));
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// Runs body.Run(start, end) over contiguous ranges covering [0, count): one range per thread, but never ranges
    /// shorter than <paramref name="minPerPart"/> (small work stays on the calling thread).
    /// </summary>
    public void ForRanges<T>(int count, int minPerPart, ref T body) where T : struct, ICpuRange
    {
        var ranges = new Ranges<T>(count, Math.Clamp(count / Math.Max(minPerPart, 1), 1, Threads), Unsafe.AsPointer(ref body));
        For(ranges.Parts, ref ranges);
    }

    /// <summary>
    /// How many parts to cut <paramref name="items"/> independent items (images) into: <see cref="PartsPerThread"/> a
    /// thread, so a thread that is ahead (its core less loaded) takes over the end of another's block; one on one thread.
    /// </summary>
    public int PartsFor(int items) => Math.Min(items, Threads == 1 ? 1 : Threads * PartsPerThread);

    /// <summary>The part-th of <paramref name="parts"/> near-equal contiguous ranges of [0, count).</summary>
    public static (int Start, int End) Range(int count, int parts, int part) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    /// <summary>Stops the workers (they finish no fork: none is in flight when the owner disposes).</summary>
    public void Dispose()
    {
        if (_workers is { } workers)
        {
            Volatile.Write(ref _stopping, true);
            Interlocked.Increment(ref _generation);
            foreach (var wake in _wake)
            {
                wake.Release();
            }

            foreach (var worker in workers)
            {
                worker.Join();
            }

            _workers = null;
        }

        foreach (var wake in _wake)
        {
            wake.Dispose();
        }
    }

    // The caller and every worker take parts until none is left; the fork returns when every one of them has stopped
    // taking parts, so no worker can wake into the next fork's fields half-written.
    private void Fork(int parts, delegate*<void*, int, void> dispatch, void* body)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _workers ??= StartWorkers();
        _dispatch = dispatch;
        _body = body;
        // Thread t's block: the t-th of Threads near-equal ranges of parts [1, parts), and the caller's starts at part 0.
        for (var t = 0; t < Threads; t++)
        {
            var (start, end) = Range(parts - 1, Threads, t);
            (_next[t * Stride], _end[t * Stride]) = (start + 1, end + 1);
        }

        (_active, _done) = (Threads, false);
        Interlocked.Increment(ref _generation);
        for (var i = 0; i < _wake.Length; i++)
        {
            if (Volatile.Read(ref _asleep[i]) != 0)
            {
                _wake[i].Release();
            }
        }

        RunPart(0);
        TakeParts(0);
        if (Interlocked.Decrement(ref _active) != 0)
        {
            WaitForHelpers();
        }

        _dispatch = null;
        _body = null;
        if (_error is { } error)
        {
            _error = null;
            ExceptionDispatchInfo.Throw(error);
        }
    }

    // Thread `self` (0 the caller, i the i-th worker) runs what is left of its own block, then of the others' in turn.
    private void TakeParts(int self)
    {
        for (var i = 0; i < Threads; i++)
        {
            var block = (self + i) % Threads * Stride;
            int part;
            while ((part = Interlocked.Increment(ref _next[block]) - 1) < _end[block])
            {
                RunPart(part);
            }
        }
    }

    private void RunPart(int part)
    {
        _inPart = true;
        try
        {
            _dispatch(_body, part);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
        }
        finally
        {
            _inPart = false;
        }
    }

    // Spins for SpinTicks (a fork's parts often end microseconds apart), then sleeps until the last helper signals. The lock
    // object exists from the start: a ManualResetEventSlim allocates its own on the first wait that blocks, which made a
    // warm step allocate whenever the machine was loaded enough for that first block to come late.
    private void WaitForHelpers()
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _active) != 0 && Stopwatch.GetTimestamp() <= deadline)
        {
            Thread.SpinWait(20);
        }

        lock (_doneGate)
        {
            while (!_done)
            {
                Monitor.Wait(_doneGate);
            }
        }
    }

    private Thread[] StartWorkers()
    {
        var workers = new Thread[Threads - 1];
        (_asleep, _wake) = (new int[workers.Length], [.. workers.Select(_ => new SemaphoreSlim(0))]);
        for (var i = 0; i < workers.Length; i++)
        {
            var index = i;
            workers[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"CpuParallel worker {i + 1}" };
            workers[i].Start();
        }

        return workers;
    }

    // Every worker takes part in every fork (the fork waits for all of them, so none can wake into the next fork's fields
    // half-written): it spins for the next generation for SpinTicks, then sleeps until a fork releases it.
    private void Work(int index)
    {
        var seen = 0;
        while (true)
        {
            seen = AwaitFork(index, seen);
            if (Volatile.Read(ref _stopping))
            {
                return;
            }

            TakeParts(index + 1);
            if (Interlocked.Decrement(ref _active) == 0)
            {
                lock (_doneGate)
                {
                    _done = true;
                    Monitor.Pulse(_doneGate);
                }
            }
        }
    }

    // Waits for the fork after generation `seen` and returns its generation. A worker going to sleep marks itself asleep
    // (a full fence), then reads the generation; a fork bumps the generation (a full fence), then reads the marks: one of
    // the two sees the other's write, so no wake-up is lost.
    private int AwaitFork(int index, int seen)
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _generation) == seen && Stopwatch.GetTimestamp() <= deadline)
        {
            Thread.SpinWait(20);
        }

        if (Volatile.Read(ref _generation) == seen)
        {
            Interlocked.Exchange(ref _asleep[index], 1);
            while (Volatile.Read(ref _generation) == seen)
            {
                _wake[index].Wait();
            }

            Volatile.Write(ref _asleep[index], 0);
        }

        // No fork begins before every worker has finished the last one, so this is the generation the worker missed.
        return Volatile.Read(ref _generation);
    }

    private static void DispatchPart<T>(void* body, int part) where T : struct, ICpuPart => Unsafe.AsRef<T>(body).Run(part);

    // ForRanges' parts: part p runs the body over the p-th of `Parts` near-equal ranges of [0, count).
    private readonly struct Ranges<T>(int count, int parts, void* body) : ICpuPart where T : struct, ICpuRange
    {
        public int Parts => parts;

        public void Run(int part)
        {
            var (start, end) = Range(count, parts, part);
            Unsafe.AsRef<T>(body).Run(start, end);
        }
    }
}
