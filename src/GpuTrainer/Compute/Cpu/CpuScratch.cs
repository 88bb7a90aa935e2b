using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Per-thread scratch memory, grown on demand and kept for the thread's lifetime, so operations
/// allocate nothing once warm. Arrays live on the pinned object heap: the pointers stay valid until
/// the same thread asks the same slot for more memory.
/// </summary>
internal static unsafe class CpuScratch
{
    [ThreadStatic] private static float[]? _gemm;
    [ThreadStatic] private static float[]? _work;

    /// <summary>Room for packed GEMM operands (used only inside <see cref="CpuGemm"/>).</summary>
    public static float* Gemm(long length) => Get(ref _gemm, length);

    /// <summary>Room for an operation's own temporaries (im2col columns, ...).</summary>
    public static float* Work(long length) => Get(ref _work, length);

    private static float* Get(ref float[]? array, long length)
    {
        if (array is null || array.Length < length)
        {
            array = GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);
        }

        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
    }
}
