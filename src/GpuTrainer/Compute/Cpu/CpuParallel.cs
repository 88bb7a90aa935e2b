namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Splits work into a fixed number of parts and runs them on at most <see cref="Threads"/> threads.
/// Callers choose parts that do not depend on the thread count wherever results are reduced, so a
/// result is bit-identical whatever the thread count.
/// </summary>
internal sealed class CpuParallel
{
    [ThreadStatic] private static bool _insideModel;   // this thread runs one model of a group: no forks below it
    private readonly ParallelOptions _options;

    public CpuParallel(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Threads = threads;
        _options = new ParallelOptions { MaxDegreeOfParallelism = threads };
    }

    public int Threads { get; }

    /// <summary>Runs body(part) for every part in [0, parts); inline when there is one part or one thread.</summary>
    public void For(int parts, Action<int> body)
    {
        if (parts <= 1 || Threads == 1 || _insideModel)
        {
            for (var part = 0; part < parts; part++)
            {
                body(part);
            }

            return;
        }

        Parallel.For(0, parts, _options, body);
    }

    /// <summary>
    /// Runs body(model) for every model of a group: across the threads, each model whole on one thread (its own
    /// <see cref="For"/> calls run inline), when there are at least as many models as threads; otherwise one model
    /// after another, each free to split its work over every thread.
    /// </summary>
    public void ForModels(int models, Action<int> body)
    {
        if (models < Threads || _insideModel)
        {
            for (var model = 0; model < models; model++)
            {
                body(model);
            }

            return;
        }

        Parallel.For(0, models, _options, model =>
        {
            _insideModel = true;
            try
            {
                body(model);
            }
            finally
            {
                _insideModel = false;
            }
        });
    }

    /// <summary>
    /// Runs body(start, end) over contiguous ranges covering [0, count): one range per thread, but
    /// never ranges shorter than <paramref name="minPerPart"/> (small work stays on the calling thread).
    /// </summary>
    public void ForRanges(int count, int minPerPart, Action<int, int> body)
    {
        var parts = Math.Clamp(count / Math.Max(minPerPart, 1), 1, Threads);
        For(parts, part =>
        {
            var (start, end) = Range(count, parts, part);
            body(start, end);
        });
    }

    /// <summary>The part-th of <paramref name="parts"/> near-equal contiguous ranges of [0, count).</summary>
    public static (int Start, int End) Range(int count, int parts, int part) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));
}
