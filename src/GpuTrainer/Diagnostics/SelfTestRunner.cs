using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Compute.SelfTest;

/// <summary>Opens a device and the managed CPU reference, runs <see cref="BackendSelfTest"/> and prints one line per kernel.</summary>
public static class SelfTestRunner
{
    /// <summary>Prints the header, every check as it completes and a summary line; returns the number of failed checks.</summary>
    /// <param name="kind">The device to check.</param>
    /// <param name="size">Small or full shapes.</param>
    /// <param name="threads">Threads of the managed CPU backends (device and reference); 0 means every core.</param>
    /// <param name="output">Where the lines go.</param>
    public static int Run(DeviceKind kind, CheckSize size, int threads, TextWriter output)
    {
        using var device = Backends.Create(kind, threads);
        using var reference = new CpuBackend(threads == 0 ? Environment.ProcessorCount : threads);
        output.WriteLine($"self-test ({size.ToString().ToLowerInvariant()}): {device.Name} against {reference.Name}");
        output.WriteLine($"an element passes when |device - reference| <= atol + rtol*|reference|; max rel divides by max(|reference|, {KernelCheck.RelFloor})");
        output.WriteLine(KernelCheck.Header);
        var results = new BackendSelfTest(device, reference).Run(size, check => output.WriteLine(check));
        var failed = results.Count(r => !r.Passed);
        output.WriteLine(failed == 0 ? $"all {results.Count} checks passed" : $"{failed} of {results.Count} checks FAILED");
        return failed;
    }
}
