using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Benchmarks.Peak;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.Nn;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Benchmarks.Profile;

/// <summary>
/// `profile [THREADS] [STEPS]`: where a LeNet-5 training step (batch 128, Adam) spends its time on the managed backend,
/// over STEPS steps (after 20 warm-up steps) on THREADS threads (default 2, 200 steps): the whole step's wall and
/// process CPU time and the bytes the process allocates per warm step, first on the plain backend, then the process
/// CPU time of each operation through <see cref="TimedBackend"/>.
/// </summary>
internal static class ProfileCommand
{
    private const int Batch = 128, WarmSteps = 20;

    public static int Run(string[] args)
    {
        var c = CultureInfo.InvariantCulture;
        var threads = args.Length > 0 ? int.Parse(args[0], c) : 2;
        var steps = args.Length > 1 ? int.Parse(args[1], c) : 200;
        var random = new Random(1234);
        var images = Enumerable.Range(0, Batch * 28 * 28).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(i => (float)(i % LeNet5.Classes)).ToArray();
        var batch = new Batch(0, Batch, images, labels);

        using (var plain = new CpuBackend(threads))
        {
            var (wall, cpu, bytes) = Measure(plain, batch, steps);
            Console.WriteLine(string.Create(c, $"LeNet-5 step, batch {Batch}, {threads} threads, {steps} steps: {wall:F3} ms wall, {cpu:F3} ms CPU, {bytes:F0} bytes allocated per step"));
            var (peak, core) = (PeakCommand.Measure(threads), PeakCommand.Measure(1));
            var gflop = Batch * PeakCommand.LeNetFlopsPerImage * 1e-9;
            Console.WriteLine(string.Create(c,
                $"{gflop * 1e3:F1} MFLOP a step: {gflop / wall * 1e3:F1} GFLOP/s of wall time = {gflop / wall * 1e3 / peak:P1} of the FMA peak on {threads} threads ({peak:F1} GFLOP/s, `peak`); {gflop / cpu * 1e3:F1} GFLOP/s per CPU second = {gflop / cpu * 1e3 / core:P1} of one core's ({core:F1})"));
        }

        using var timed = new TimedBackend(new CpuBackend(threads));
        var (_, stepCpu, _) = Measure(timed, batch, steps, timed.Reset);
        Console.WriteLine("| op | ms CPU per step | share | calls per step |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (op, seconds, calls) in timed.Totals.OrderByDescending(t => t.Seconds))
        {
            Console.WriteLine(string.Create(c, $"| {op} | {seconds * 1000 / steps:F3} | {seconds * 1000 / steps / stepCpu:P1} | {calls / (double)steps:G3} |"));
        }

        return 0;
    }

    // Wall ms, process CPU ms and allocated bytes per step over `steps` warm steps; `warm` runs after the warm-up.
    private static (double Wall, double Cpu, double Bytes) Measure(Compute.IBackend backend, Batch batch, int steps, Action? warm = null)
    {
        using var trainer = new Trainer(backend, [new TrainingOptions { Schedule = new FixedLr(1e-3), Batch = Batch, Epochs = 1 }]);
        ReadOnlySpan<double> lr = [1e-3];
        Span<double> loss = [0];
        for (var i = 0; i < WarmSteps; i++)
        {
            trainer.TrainBatch(batch, lr, loss);
        }

        warm?.Invoke();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = ProcessCpuClock.Nanoseconds();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < steps; i++)
        {
            trainer.TrainBatch(batch, lr, loss);
        }

        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps, (ProcessCpuClock.Nanoseconds() - cpu) * 1e-6 / steps,
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)steps);
    }
}
