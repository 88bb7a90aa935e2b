using System.Runtime.InteropServices;

namespace GpuTrainer.Benchmarks.Profile;

/// <summary>
/// The CPU time of the whole process (every thread) in nanoseconds, from clock_gettime(CLOCK_PROCESS_CPUTIME_ID):
/// exact to the nanosecond, where <see cref="System.Diagnostics.Process.TotalProcessorTime"/> counts clock ticks. On a
/// machine shared with busy processes this is what an operation's work costs; its wall time is mostly waiting.
/// </summary>
internal static partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Nanoseconds of CPU time the process has used.</summary>
    public static long Nanoseconds() => Read(ClockProcessCpuTimeId, "CLOCK_PROCESS_CPUTIME_ID");

    /// <summary>Nanoseconds of CPU time the calling thread has used (clock_gettime(CLOCK_THREAD_CPUTIME_ID)).</summary>
    public static long ThreadNanoseconds() => Read(ClockThreadCpuTimeId, "CLOCK_THREAD_CPUTIME_ID");

    private static long Read(int clock, string name)
    {
        if (ClockGetTime(clock, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime({name}) failed.");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
