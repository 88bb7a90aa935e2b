using System.Globalization;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>
/// A fact that sends SIGINT to a child process: skipped (not failed) where this test process ignores SIGINT, as every
/// command started in the background (`cmd &`) by a non-interactive shell does. The child inherits the ignored signal,
/// so no Ctrl-C could reach it; the skip says so instead of reporting a run that "did not stop".
/// </summary>
public sealed class InterruptibleFactAttribute : FactAttribute
{
    public InterruptibleFactAttribute()
    {
        if (SigIntIgnored())
        {
            Skip = "SIGINT is ignored by this test process (started in the background), so its children cannot be interrupted.";
        }
    }

    // /proc/self/status: "SigIgn:\t0000000000000002" is the mask of ignored signals; SIGINT (2) is bit 1.
    private static bool SigIntIgnored()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return false;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x2) != 0;
    }
}
