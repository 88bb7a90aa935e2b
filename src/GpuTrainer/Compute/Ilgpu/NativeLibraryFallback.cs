using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using ILGPU;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// ILGPU 1.5.3 imports the CUDA driver as "cuda" (and OpenCL as "OpenCL"), which .NET probes on Linux
/// as libcuda.so / libOpenCL.so. Driver-only installs ship just the versioned libcuda.so.1 and
/// libOpenCL.so.1, and then ILGPU silently sees no GPU. This fallback, consulted only after the normal
/// probing failed, loads the versioned library instead.
/// </summary>
internal static class NativeLibraryFallback
{
    private static int _registered;

    /// <summary>Registers the fallback once per process (Linux only); safe to call repeatedly.</summary>
    public static void Register()
    {
        if (OperatingSystem.IsLinux() && Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
        }
    }

    /// <summary>The versioned soname to try for a library name ILGPU imports, or null for any other name.</summary>
    public static string? VersionedName(string libraryName) => libraryName.ToLowerInvariant() switch
    {
        "cuda" or "nvcuda" or "libcuda" or "libcuda.so" => "libcuda.so.1",
        "opencl" or "libopencl" or "libopencl.so" => "libOpenCL.so.1",
        _ => null,
    };

    private static IntPtr Resolve(Assembly assembly, string libraryName) =>
        assembly == typeof(Context).Assembly && VersionedName(libraryName) is { } name && NativeLibrary.TryLoad(name, out var handle)
            ? handle
            : IntPtr.Zero;
}
