using System.Reflection;
using GpuTrainer.Kernels;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>One kernel of kernels/GpuTrainer.Kernels, generic kernels once per operand struct.</summary>
/// <param name="Name">"GemmKernels.TiledKernel&lt;GemmOperands&gt;".</param>
/// <param name="Method">The (closed) kernel method.</param>
/// <param name="GroupThreads">Threads per group of an explicitly grouped kernel; null when ILGPU picks the group size.</param>
public sealed record IlgpuKernel(string Name, MethodInfo Method, int? GroupThreads)
{
    /// <summary>A file-name-safe form of <see cref="Name"/>: "GemmKernels.TiledKernel-GemmOperands".</summary>
    public string FileName => Name.Replace('<', '-').Replace(">", "", StringComparison.Ordinal).Replace(',', '-');

    /// <summary>True for explicitly grouped kernels (no index parameter).</summary>
    public bool ExplicitlyGrouped => GroupThreads is not null;

    /// <summary>The launch bounds the backend compiles this kernel with (see <see cref="IlgpuKernelCatalog.SpecializationOf"/>).</summary>
    public KernelSpecialization Specialization => IlgpuKernelCatalog.SpecializationOf(Method);

    /// <summary>The entry point ILGPU's backends compile.</summary>
    public EntryPointDescription Entry => ExplicitlyGrouped
        ? EntryPointDescription.FromExplicitlyGroupedKernel(Method)
        : EntryPointDescription.FromImplicitlyGroupedKernel(Method);
}

/// <summary>
/// Every kernel the kernels assembly holds (every public static XxxKernel, generic ones once per
/// <see cref="IMatrixOperands{TSelf}"/> struct), and their PTX for sm_90 as the CUDA accelerator would
/// build it (same context options), written with PTX ISA 7.8 so that ptxas 11.8 assembles it.
/// </summary>
public static class IlgpuKernelCatalog
{
    /// <summary>Every kernel, in a stable order.</summary>
    public static IReadOnlyList<IlgpuKernel> All { get; } = [.. Enumerate().OrderBy(k => k.Name, StringComparer.Ordinal)];

    /// <summary>PTX of each kernel in <paramref name="kernels"/> for sm_90 (ILGPU writes `.target sm_80`), ISA 7.8.</summary>
    public static IEnumerable<(IlgpuKernel Kernel, string Ptx)> Ptx(IEnumerable<IlgpuKernel> kernels)
    {
        using var context = IlgpuDevices.CreateContext();
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_78, nvvmAPI: null!);
        foreach (var kernel in kernels)
        {
            var compiled = (PTXCompiledKernel)backend.Compile(kernel.Entry, kernel.Specialization);
            yield return (kernel, compiled.PTXAssembly);
        }
    }

    /// <summary>
    /// The launch bounds of a kernel from its <see cref="GroupThreadsAttribute"/>: at most that many threads per
    /// group and, when given, at least that many groups per multiprocessor; none for auto-grouped kernels.
    /// </summary>
    /// <param name="kernel">A kernel method of the kernels assembly.</param>
    public static KernelSpecialization SpecializationOf(MethodInfo kernel) =>
        kernel.GetCustomAttribute<GroupThreadsAttribute>() is { } bounds
            ? new KernelSpecialization(bounds.Threads, bounds.MinGroupsPerMultiprocessor > 0 ? bounds.MinGroupsPerMultiprocessor : null)
            : KernelSpecialization.Empty;

    private static IEnumerable<IlgpuKernel> Enumerate()
    {
        var types = typeof(GemmKernels).Assembly.GetExportedTypes();
        var operands = types.Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IMatrixOperands<>))).ToArray();
        var methods = types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.Name.EndsWith("Kernel", StringComparison.Ordinal));
        foreach (var method in methods)
        {
            var first = method.GetParameters()[0].ParameterType;
            var grouped = first != typeof(Index1D) && first != typeof(Index2D) && first != typeof(Index3D);
            var threads = method.GetCustomAttribute<GroupThreadsAttribute>()?.Threads;
            if (grouped && threads is null)
            {
                throw new InvalidOperationException($"Explicitly grouped kernel {method.DeclaringType!.Name}.{method.Name} lacks [GroupThreads].");
            }

            foreach (var kernel in method.IsGenericMethodDefinition ? Closures(method, operands) : [method])
            {
                yield return new IlgpuKernel(Describe(kernel), kernel, grouped ? threads : null);
            }
        }
    }

    // A generic kernel closed over every operand struct (all of them satisfy IMatrixOperands<TSelf>, its one constraint).
    private static IEnumerable<MethodInfo> Closures(MethodInfo method, Type[] operands) => operands.Select(o => method.MakeGenericMethod(o));

    private static string Describe(MethodInfo method) =>
        $"{method.DeclaringType!.Name}.{method.Name}{(method.IsGenericMethod ? $"<{string.Join(",", method.GetGenericArguments().Select(a => a.Name))}>" : "")}";
}
