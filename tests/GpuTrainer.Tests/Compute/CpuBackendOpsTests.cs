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

/// <summary>The shared backend suite with the GEMM on its scalar micro-kernel (forced, so it runs on every machine).</summary>
public sealed class CpuScalarPathOpsTests : BackendOpsTests
{
    protected override IBackend Backend { get; } = new CpuBackend(2, CpuVectorPath.Scalar);
}

/// <summary>The shared backend suite with the GEMM on its AVX2 micro-kernel.</summary>
public sealed class CpuAvx2PathOpsTests : BackendOpsTests
{
    protected override IBackend Backend { get; } = new CpuBackend(2, CpuVectorPath.Avx2);
}

/// <summary>The shared backend suite with the GEMM on its AVX-512 micro-kernel (in software where the CPU lacks AVX-512).</summary>
public sealed class CpuAvx512PathOpsTests : BackendOpsTests
{
    protected override IBackend Backend { get; } = new CpuBackend(2, CpuVectorPath.Avx512);
}
