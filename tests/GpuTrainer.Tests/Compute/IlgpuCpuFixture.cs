using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>One ILGPU CPU-accelerator backend shared by every IlgpuCpu test class (kernels compile once).</summary>
public sealed class IlgpuCpuFixture : IDisposable
{
    public IlgpuBackend Backend { get; } = IlgpuBackend.Create(DeviceKind.IlgpuCpu);

    public void Dispose() => Backend.Dispose();
}

/// <summary>The IlgpuCpu test classes share one backend and run one after another (the accelerator is CPU-heavy).</summary>
[CollectionDefinition(Name)]
public sealed class IlgpuCpuCollection : ICollectionFixture<IlgpuCpuFixture>
{
    public const string Name = "IlgpuCpu";
}
