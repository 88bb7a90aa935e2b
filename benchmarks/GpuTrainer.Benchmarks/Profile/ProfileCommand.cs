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
/// `profile [THREADS] [STEPS] [MEMBERS] [BATCH]`: where a LeNet-5 training step (Adam; a group of MEMBERS models, default
/// 1; BATCH images, default 128) spends its time on the managed backend, over STEPS steps (after 20 warm-up steps) on
/// THREADS threads (default 2, 200 steps): the whole step's wall and process CPU time and the bytes the process
/// allocates per warm step, first on the plain backend, then each operation's wall and CPU time through
/// <see cref="TimedBackend"/>; the step as a share of the FMA peak measured on the spot, with a note where that peak
/// shows a core held by another process.
/// </summary>
internal static class ProfileCommand
{
    private const int WarmSteps = 20;

    // A peak on T threads under this share of T x one core's was measured with a core busy elsewhere.
    private const double MinPeakShare = 0.9;

    public static int Run(string[] args)
    {
        var c = CultureInfo.InvariantCulture;
        var threads = args.Length > 0 ? int.Parse(args[0], c) : 2;
        var steps = args.Length > 1 ? int.Parse(args[1], c) : 200;
        var members = args.Length > 2 ? int.Parse(args[2], c) : 1;
        var size = args.Length > 3 ? int.Parse(args[3], c) : 128;
        var random = new Random(1234);
        var images = Enumerable.Range(0, size * 28 * 28).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var labels = Enumerable.Range(0, size).Select(i => (float)(i % LeNet5.Classes)).ToArray();
        var batch = new Batch(0, size, images, labels);

        using (var plain = new CpuBackend(threads))
        {
            var (wall, cpu, bytes) = Measure(plain, batch, steps, members);
            Console.WriteLine(string.Create(c, $"LeNet-5 step, batch {size}, {members} member(s), {threads} threads, {steps} steps: {wall:F3} ms wall, {cpu:F3} ms CPU, {bytes:F0} bytes allocated per step"));
            var (peak, core) = (PeakCommand.Measure(threads), PeakCommand.Measure(1));
            var gflop = members * size * PeakCommand.LeNetFlopsPerImage * 1e-9;
            Console.WriteLine(string.Create(c,
                $"{gflop * 1e3:F1} MFLOP a step: {gflop / wall * 1e3:F1} GFLOP/s of wall time = {gflop / wall * 1e3 / peak:P1} of the FMA peak on {threads} threads ({peak:F1} GFLOP/s, `peak`); {gflop / cpu * 1e3:F1} GFLOP/s per CPU second = {gflop / cpu * 1e3 / core:P1} of one core's ({core:F1})"));
            if (peak < MinPeakShare * threads * core)
            {
                // On a shared virtual machine a neighbour can hold one of the cores (the guest counts it as run time).
                Console.WriteLine(string.Create(c,
                    $"note: the {threads}-thread peak ({peak:F1}) is under {MinPeakShare:P0} of {threads} x one core's ({core:F1}): another process held a core while it was measured, so the shares above are not comparable; measure again"));
            }
        }

        using var timed = new TimedBackend(new CpuBackend(threads));
        var (_, stepCpu, _) = Measure(timed, batch, steps, members, timed.Reset);
        Console.WriteLine("| op | ms wall per step | ms CPU per step | share of CPU | calls per step |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (op, seconds, wall, calls) in timed.Totals.OrderByDescending(t => t.WallSeconds))
        {
            Console.WriteLine(string.Create(c, $"| {op} | {wall * 1000 / steps:F3} | {seconds * 1000 / steps:F3} | {seconds * 1000 / steps / stepCpu:P1} | {calls / (double)steps:G3} |"));
        }

        return 0;
    }

    // Wall ms, process CPU ms and allocated bytes per step over `steps` warm steps; `warm` runs after the warm-up.
    private static (double Wall, double Cpu, double Bytes) Measure(Compute.IBackend backend, Batch batch, int steps, int members, Action? warm = null)
    {
        using var trainer = new Trainer(backend, [.. Enumerable.Range(0, members).Select(_ => new TrainingOptions { Schedule = new FixedLr(1e-3), Batch = batch.Size, Epochs = 1 })]);
        ReadOnlySpan<double> lr = Enumerable.Repeat(1e-3, members).ToArray();
        Span<double> loss = new double[members];
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
