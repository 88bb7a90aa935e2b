// Reduction kernels: the bias gradient dBias[c] = sum over o and i of dy[o,c,i], dy viewed as
// (outer, channels, inner).
//
// Accumulation rule: outputs are OVERWRITTEN (`=`).
//
// Variants:
//   1. BiasGradientNaiveKernel - one thread per channel walks all outer*inner elements.
//                                The fallback and the yardstick.
//   2. BiasGradientKernel      - explicitly grouped: one group of GroupSize threads per channel,
//                                each thread strides over the channel's elements (consecutive
//                                threads read consecutive i), then a shared-memory tree reduction
//                                (GroupSize floats = 1 KB). Deterministic, no atomics.
//
// SumSlicesKernel adds equally long slices element-wise (the split-K partials of Conv2d.cs).
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Per-channel sums.</summary>
public static class ReductionKernels
{
    /// <summary>Threads per group of <see cref="BiasGradientKernel"/> (a power of two).</summary>
    public const int GroupSize = 256;

    /// <summary>Variant 1 (naive): dBias (channels) from dy (outer, channels, inner), one thread per channel.</summary>
    /// <param name="channel">Channel index in [0, channels).</param>
    /// <param name="dy">dOutput (outer, channels, inner).</param>
    /// <param name="dBias">dBias (channels), overwritten.</param>
    /// <param name="outer">Outer extent (batch).</param>
    /// <param name="inner">Inner extent (pixels per plane, 1 after a linear layer).</param>
    public static void BiasGradientNaiveKernel(Index1D channel, ArrayView<float> dy, ArrayView<float> dBias, int outer, int inner)
    {
        var channels = (int)dBias.Length;
        var sum = 0f;
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                sum += dy[((long)o * channels + channel) * inner + i];
            }
        }

        dBias[channel] = sum;
    }

    /// <summary>
    /// Variant 2 (group reduction): dBias (channels) from dy (outer, channels, inner).
    /// Grid = channels groups, group = <see cref="GroupSize"/> threads; group c reduces channel c.
    /// </summary>
    /// <param name="dy">dOutput (outer, channels, inner).</param>
    /// <param name="dBias">dBias (channels), overwritten.</param>
    /// <param name="outer">Outer extent (batch).</param>
    /// <param name="inner">Inner extent (pixels per plane, 1 after a linear layer).</param>
    [GroupThreads(GroupSize)]
    public static void BiasGradientKernel(ArrayView<float> dy, ArrayView<float> dBias, int outer, int inner)
    {
        var partial = SharedMemory.Allocate<float>(GroupSize);
        int channel = Grid.IdxX, thread = Group.IdxX, channels = (int)dBias.Length;
        var sum = 0f;
        for (var j = thread; j < outer * inner; j += GroupSize)
        {
            var o = j / inner;
            sum += dy[((long)o * channels + channel) * inner + j - o * inner];
        }

        partial[thread] = sum;
        Group.Barrier();
        for (var half = GroupSize / 2; half > 0; half /= 2)
        {
            if (thread < half)
            {
                partial[thread] += partial[thread + half];
            }

            Group.Barrier();
        }

        if (thread == 0)
        {
            dBias[channel] = partial[0];
        }
    }

    /// <summary>sum[i] = sum over s of slices[s, i], slices (count, length), sum (length).</summary>
    /// <param name="index">Element index in [0, length).</param>
    /// <param name="slices">The slices, back to back (count, length).</param>
    /// <param name="sum">The element-wise total (length), overwritten.</param>
    /// <param name="count">Number of slices.</param>
    public static void SumSlicesKernel(Index1D index, ArrayView<float> slices, ArrayView<float> sum, int count)
    {
        var total = 0f;
        for (var s = 0; s < count; s++)
        {
            total += slices[s * sum.Length + index.X];
        }

        sum[index] = total;
    }
}
