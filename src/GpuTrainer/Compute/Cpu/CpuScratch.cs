using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Per-thread scratch memory, grown on demand and kept for the thread's lifetime, so warm operations
/// allocate nothing (their parallel parts are structs, see CpuParallel). Arrays live on the pinned object heap: the pointers stay valid until
/// the same thread asks the same slot for more memory.
/// </summary>
internal static unsafe class CpuScratch
{
    // The smallest slot: a page of floats.
    private const int MinFloats = 1024;

    [ThreadStatic] private static float[]? _packedA;
    [ThreadStatic] private static float[]? _packedB;
    [ThreadStatic] private static float[]? _work;
    [ThreadStatic] private static float[]? _shared;

    /// <summary>Room for a packed GEMM A operand (used only inside <see cref="CpuGemm"/>).</summary>
    public static float* PackedA(long length) => Get(ref _packedA, length);

    /// <summary>Room for a packed GEMM B operand (used only inside <see cref="CpuGemm"/>).</summary>
    public static float* PackedB(long length) => Get(ref _packedB, length);

    /// <summary>Room for an operation's own temporaries (im2col columns, ...).</summary>
    public static float* Work(long length) => Get(ref _work, length);

    /// <summary>
    /// Room for what the calling thread prepares for every part of one operation (a packed weight, per-chunk
    /// partial sums): parts running on other threads use it while the caller waits for them.
    /// </summary>
    public static float* Shared(long length) => Get(ref _shared, length);

    // A slot that is too small grows to at least twice its size (and at least a page), so that a thread's scratch
    // settles after a few growths however its parts' sizes arrive.
    private static float* Get(ref float[]? array, long length)
    {
        if (array is null || array.Length < length)
        {
            var grown = Math.Min(Array.MaxLength, Math.Max(MinFloats, 2L * (array?.Length ?? 0)));
            array = GC.AllocateUninitializedArray<float>(checked((int)Math.Max(length, grown)), pinned: true);
        }

        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
    }
}
