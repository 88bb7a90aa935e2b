using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Nn;
using GpuTrainer.Schedules;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>The managed backend's own thread pool: every part runs once, errors come back, and a warm training step allocates nothing.</summary>
public sealed class CpuParallelTests
{
    private struct CountParts(int[] runs, int[] threads) : ICpuPart
    {
        public readonly void Run(int part)
        {
            Interlocked.Increment(ref runs[part]);
            threads[part] = Environment.CurrentManagedThreadId;
        }
    }

    private readonly struct Throws : ICpuPart
    {
        public void Run(int part)
        {
            if (part == 5)
            {
                throw new InvalidOperationException("part 5");
            }
        }
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 50)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void EveryPartRunsExactlyOnceForkAfterFork(int threads, int parts)
    {
        using var parallel = new CpuParallel(threads);
        var used = new HashSet<int>();
        for (var fork = 0; fork < 200; fork++)
        {
            var (runs, ids) = (new int[parts], new int[parts]);
            var body = new CountParts(runs, ids);
            parallel.For(parts, ref body);
            Assert.All(runs, count => Assert.Equal(1, count));
            used.UnionWith(ids);
        }

        Assert.InRange(used.Count, 1, threads);
    }

    // Part 0 (the caller's) waits until part 2 has begun and part 2 until part 1 has: the worker's block is parts [2, 4),
    // so it must begin there, and the caller goes on with part 1 of its own block before it looks at the worker's.
    private struct CallerWaitsForWorker(int[] threads, ManualResetEventSlim oneBegan, ManualResetEventSlim twoBegan) : ICpuPart
    {
        public readonly void Run(int part)
        {
            threads[part] = Environment.CurrentManagedThreadId;
            switch (part)
            {
                case 0:
                    Assert.True(twoBegan.Wait(TimeSpan.FromSeconds(30)), "the worker never began part 2");
                    break;
                case 1:
                    oneBegan.Set();
                    break;
                case 2:
                    twoBegan.Set();
                    Assert.True(oneBegan.Wait(TimeSpan.FromSeconds(30)), "the caller never began part 1");
                    break;
            }
        }
    }

    [Fact]
    public void EachThreadBeginsWithItsOwnContiguousBlock()
    {
        using var parallel = new CpuParallel(2);
        using ManualResetEventSlim oneBegan = new(), twoBegan = new();
        var threads = new int[4];
        var body = new CallerWaitsForWorker(threads, oneBegan, twoBegan);
        parallel.For(4, ref body);

        var caller = Environment.CurrentManagedThreadId;
        Assert.Equal(caller, threads[0]);
        Assert.Equal(caller, threads[1]);
        Assert.NotEqual(caller, threads[2]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void WorkersAsleepBetweenForksWakeForTheNext(int threads)
    {
        // Forks further apart than a worker spins (half a millisecond), so the workers go to sleep between them, some
        // forks right after the last: a worker that finishes a fork and falls asleep must not take the wake-up of another.
        using var parallel = new CpuParallel(threads);
        for (var fork = 0; fork < 60; fork++)
        {
            var (runs, ids) = (new int[7], new int[7]);
            var body = new CountParts(runs, ids);
            parallel.For(7, ref body);
            Assert.All(runs, count => Assert.Equal(1, count));
            if (fork % 3 == 0)
            {
                Thread.Sleep(2);
            }
        }
    }

    [Fact]
    public void ForksFromTwoThreadsAtOnceEachRunEveryPartOnce()
    {
        // One caller takes the workers; the other's fork runs inline meanwhile, never into the first one's fields.
        using var parallel = new CpuParallel(3);
        var failures = 0;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
        {
            for (var fork = 0; fork < 300; fork++)
            {
                var (runs, ids) = (new int[9], new int[9]);
                var body = new CountParts(runs, ids);
                parallel.For(9, ref body);
                if (runs.Any(count => count != 1))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void APartsExceptionReachesTheCallerAndThePoolGoesOn()
    {
        using var parallel = new CpuParallel(2);
        var body = new Throws();
        Assert.Equal("part 5", Assert.Throws<InvalidOperationException>(() => parallel.For(8, ref body)).Message);
        var (runs, ids) = (new int[8], new int[8]);
        var count = new CountParts(runs, ids);
        parallel.For(8, ref count);
        Assert.All(runs, c => Assert.Equal(1, c));
    }

    [Fact]
    public void AWarmTrainingStepAllocatesNothing()
    {
        // Batch 64 on 2 threads: the convolutions, pooling, activations and GEMMs all fork. Some allocations happen once,
        // at times that depend on the load: a thread's scratch grows the first time it runs the largest part of an op
        // (CpuScratch), and others, not traced, came early and late under load (the clean-clone CI run of 2026-12-07
        // 01:49, beside the ILGPU tests, saw 8080, 1296, 0, ..., 0, 3696, 0 bytes after 8 warm-up steps). A per-step
        // allocation shows in every window. So: warm up (with pauses, so that the workers fall asleep and are woken)
        // until a window of 4 steps allocates nothing, at most 50 windows, then 12 windows of 4 steps, at most 2 of them
        // allocating anything.
        using var backend = new CpuBackend(threads: 2);
        using var trainer = new Trainer(backend, [new TrainingOptions { Schedule = new FixedLr(1e-3), Batch = 64, Epochs = 1 }]);
        double[] lr = [1e-3], loss = [0];
        var random = new Random(5);
        var images = Enumerable.Range(0, 64 * 28 * 28).Select(_ => (float)random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, 64).Select(i => (float)(i % LeNet5.Classes)).ToArray();
        var batch = new Batch(0, 64, images, labels);
        long Window(bool pause = false)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 4; i++)
            {
                trainer.TrainBatch(batch, lr, loss);
                if (pause)
                {
                    Thread.Sleep(2);
                }
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Window(pause: true);
        for (var warm = 0; warm < 50 && Window() != 0; warm++)
        {
        }

        var allocated = new long[12];
        for (var window = 0; window < allocated.Length; window++)
        {
            allocated[window] = Window();
        }

        Assert.True(allocated.Count(bytes => bytes != 0) <= 2, $"bytes allocated per window of 4 steps: {string.Join(", ", allocated)}");
    }
}
