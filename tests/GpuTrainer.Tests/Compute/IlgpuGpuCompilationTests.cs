using System.Reflection;
using GpuTrainer.Compute.Ilgpu;
using GpuTrainer.Kernels;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
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
    public static TheoryData<string> KernelNames => new(Kernels().Select(k => Describe(k.Method)));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void Kernel_compiles_for_cuda_and_opencl(string kernel)
    {
        var (method, grouped) = Kernels().Single(k => Describe(k.Method) == kernel);
        var entry = grouped ? EntryPointDescription.FromExplicitlyGroupedKernel(method) : EntryPointDescription.FromImplicitlyGroupedKernel(method);
        using var context = IlgpuDevices.CreateContext();
        Backend[] backends =
        [
            new PTXBackend(context, CudaArchitecture.SM_75, CudaInstructionSet.ISA_75, nvvmAPI: null!),
            new CLBackend(context, new CLCapabilityContext(true, true, true, true, true), CLDeviceVendor.Other, CLCVersion.CL20),
        ];

        foreach (var backend in backends)
        {
            using (backend)
            {
                Assert.NotNull(backend.Compile(entry, KernelSpecialization.Empty));
            }
        }
    }

    // Every public static XxxKernel of the kernels assembly; generic ones once per operand struct.
    private static IEnumerable<(MethodInfo Method, bool Grouped)> Kernels()
    {
        var types = typeof(GemmKernels).Assembly.GetExportedTypes();
        var operands = types.Where(t => t.IsValueType && typeof(IMatrixOperands).IsAssignableFrom(t)).ToArray();
        foreach (var method in types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static)).Where(m => m.Name.EndsWith("Kernel", StringComparison.Ordinal)))
        {
            foreach (var kernel in method.IsGenericMethodDefinition ? operands.Select(o => method.MakeGenericMethod(o)) : [method])
            {
                var first = kernel.GetParameters()[0].ParameterType;
                yield return (kernel, first != typeof(Index1D) && first != typeof(Index3D));
            }
        }
    }

    private static string Describe(MethodInfo method) =>
        $"{method.DeclaringType!.Name}.{method.Name}{(method.IsGenericMethod ? $"<{method.GetGenericArguments()[0].Name}>" : "")}";
}
