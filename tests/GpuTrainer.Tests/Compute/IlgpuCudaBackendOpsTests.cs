using System.Reflection;
using System.Runtime.ExceptionServices;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using Xunit;
using Xunit.Sdk;

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

/// <summary>
/// The shared <see cref="BackendOpsTests"/> suite on CUDA. xunit 2.9 cannot skip inherited facts at run
/// time, so rather than subclassing the suite directly (which would fail everywhere without a GPU), each
/// row here runs one suite method, with all of its data rows, on a private subclass; the whole theory
/// is skipped where ILGPU sees no CUDA device.
/// </summary>
public sealed class IlgpuCudaBackendOpsTests(IlgpuCudaFixture fixture) : IClassFixture<IlgpuCudaFixture>
{
    public static TheoryData<string> SuiteMethods => new(
        typeof(BackendOpsTests).GetMethods().Where(m => m.GetCustomAttribute<FactAttribute>() is not null).Select(m => m.Name));

    [CudaTheory]
    [MemberData(nameof(SuiteMethods))]
    public void Shared_suite_method_passes_on_cuda(string method)
    {
        var suite = new Suite(fixture.Backend);
        var test = typeof(BackendOpsTests).GetMethod(method)!;
        var rows = test.GetCustomAttributes<DataAttribute>().SelectMany(data => data.GetData(test)).DefaultIfEmpty([]);
        foreach (var row in rows)
        {
            try
            {
                test.Invoke(suite, row);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
            }
        }
    }

    private sealed class Suite(IBackend backend) : BackendOpsTests
    {
        protected override IBackend Backend => backend;
    }
}
