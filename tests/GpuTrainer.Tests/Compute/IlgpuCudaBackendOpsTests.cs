using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>The CUDA backend, created only when a CUDA test actually runs.</summary>
public sealed class IlgpuCudaFixture : IDisposable
{
    private readonly Lazy<IlgpuBackend> _backend = new(() => IlgpuBackend.Create(DeviceKind.Cuda));

    public IlgpuBackend Backend => _backend.Value;

    public void Dispose()
    {
        if (_backend.IsValueCreated)
        {
            _backend.Value.Dispose();
        }
    }
}

/// <summary>The shared <see cref="BackendOpsTests"/> suite on CUDA (skipped without a CUDA device; see <see cref="CudaSuite"/>).</summary>
public sealed class IlgpuCudaBackendOpsTests(IlgpuCudaFixture fixture) : IClassFixture<IlgpuCudaFixture>
{
    public static TheoryData<string> SuiteMethods => CudaSuite.Methods<BackendOpsTests>();

    [CudaTheory]
    [MemberData(nameof(SuiteMethods))]
    public void Shared_suite_method_passes_on_cuda(string method) => CudaSuite.Run<BackendOpsTests>(new Suite(fixture.Backend), method);

    private sealed class Suite(IBackend backend) : BackendOpsTests
    {
        protected override IBackend Backend => backend;
    }
}
