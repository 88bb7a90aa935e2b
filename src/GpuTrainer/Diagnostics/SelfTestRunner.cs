using GpuTrainer.Compute;

namespace GpuTrainer.Diagnostics;

/// <summary>Opens a device, runs <see cref="BackendSelfTest"/> against the float64 reference and prints one line per kernel.</summary>
public static class SelfTestRunner
{
    /// <summary>Prints the header, every check as it completes and a summary line; returns the number of failed checks.</summary>
    /// <param name="kind">The device to check.</param>
    /// <param name="size">Small or full shapes.</param>
    /// <param name="threads">Threads of the managed CPU backend, when it is the device; 0 means every core.</param>
    /// <param name="output">Where the lines go.</param>
    public static int Run(DeviceKind kind, CheckSize size, int threads, TextWriter output)
    {
        using var device = Backends.Create(kind, threads);
        var selfTest = new BackendSelfTest(device);
        output.WriteLine($"self-test ({size.ToString().ToLowerInvariant()}): {device.Name} against {selfTest.ReferenceName}");
        output.WriteLine($"an element passes when |device - reference| <= atol + rtol*|reference|; max rel divides by max(|reference|, {KernelCheck.RelFloor})");
        output.WriteLine(KernelCheck.Header);
        var results = selfTest.Run(size, check => output.WriteLine(check));
        var failed = results.Count(r => !r.Passed);
        output.WriteLine(failed == 0 ? $"all {results.Count} checks passed" : $"{failed} of {results.Count} checks FAILED");
        return failed;
    }
}
