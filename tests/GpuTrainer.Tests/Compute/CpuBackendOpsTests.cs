using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;

namespace GpuTrainer.Tests.Compute;

/// <summary>The shared backend suite on the managed CPU backend with two threads.</summary>
public sealed class CpuBackendOpsTests : BackendOpsTests
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 2);
}

/// <summary>The shared backend suite on the managed CPU backend with one thread (no forks at all).</summary>
public sealed class CpuBackendSingleThreadOpsTests : BackendOpsTests
{
    protected override IBackend Backend { get; } = new CpuBackend(threads: 1);
}
