// Fill and copy kernels over flat views.
//
// Accumulation rule: destinations are OVERWRITTEN (`=`).
//
// Variants: one each; a thread per element, coalesced. One launch covers every member (MemberStrides.cs).
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Fill and copy.</summary>
public static class MemoryKernels
{
    /// <summary>destination[i] = value. View (count) per member.</summary>
    /// <param name="index">member * count + element index.</param>
    /// <param name="destination">The views to fill (count each).</param>
    /// <param name="value">The value.</param>
    /// <param name="members">Count = count; stride of destination.</param>
    public static void FillKernel(Index1D index, ArrayView<float> destination, float value, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        destination[member * members.First + element] = value;
    }

    /// <summary>destination[i] = source[i]. Views (count) per member, not overlapping.</summary>
    /// <param name="index">member * count + element index.</param>
    /// <param name="source">The views to read (count each).</param>
    /// <param name="destination">The views to write (count each).</param>
    /// <param name="members">Count = count; strides of source, destination.</param>
    public static void CopyKernel(Index1D index, ArrayView<float> source, ArrayView<float> destination, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        destination[member * members.Second + element] = source[member * members.First + element];
    }
}
