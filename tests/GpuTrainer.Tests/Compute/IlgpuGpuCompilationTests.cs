using GpuTrainer.Compute.Ilgpu;
using ILGPU.Backends;
using ILGPU.Backends.OpenCL;
using ILGPU.Runtime;
using ILGPU.Runtime.OpenCL;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// Every kernel compiles to PTX and to OpenCL C on any machine, GPU or not: the CPU accelerator runs
/// kernels as .NET code and so never meets the GPU backends' limits (missing math intrinsics,
/// unsupported constructs), which would otherwise surface only on the first GPU run.
/// </summary>
public sealed class IlgpuGpuCompilationTests
{
    public static TheoryData<string> KernelNames => new(IlgpuKernelCatalog.All.Select(k => k.Name));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void Kernel_compiles_for_cuda_and_opencl(string name)
    {
        var kernel = IlgpuKernelCatalog.All.Single(k => k.Name == name);
        Assert.Contains(".entry", IlgpuKernelCatalog.Ptx([kernel]).Single().Ptx, StringComparison.Ordinal);

        using var context = IlgpuDevices.CreateContext();
        using Backend backend = new CLBackend(context, new CLCapabilityContext(true, true, true, true, true), CLDeviceVendor.Other, CLCVersion.CL20);
        Assert.NotNull(backend.Compile(kernel.Entry, kernel.Specialization));
    }
}
