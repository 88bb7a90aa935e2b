// Fill and copy kernels over flat views.
//
// Accumulation rule: destinations are OVERWRITTEN (`=`).
//
// Variants: one each; a thread per element, coalesced.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Fill and copy.</summary>
public static class MemoryKernels
{
    /// <summary>destination[i] = value. View (count).</summary>
    /// <param name="index">Element index in [0, count).</param>
    /// <param name="destination">The view to fill (count).</param>
    /// <param name="value">The value.</param>
    public static void FillKernel(Index1D index, ArrayView<float> destination, float value) => destination[index] = value;

    /// <summary>destination[i] = source[i]. Views (count), not overlapping.</summary>
    /// <param name="index">Element index in [0, count).</param>
    /// <param name="source">The view to read (count).</param>
    /// <param name="destination">The view to write (count).</param>
    public static void CopyKernel(Index1D index, ArrayView<float> source, ArrayView<float> destination) =>
        destination[index] = source[index];
}
