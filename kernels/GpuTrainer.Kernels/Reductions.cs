// Reduction kernels: the bias gradient dBias[c] = sum over o and i of dy[o,c,i], dy viewed as
// (outer, channels, inner).
//
// Accumulation rule: outputs are OVERWRITTEN (`=`).
//
// Variants:
//   1. BiasGradientNaiveKernel - one thread per channel walks all outer*inner elements.
//                                The fallback and the yardstick.
//   2. BiasGradientKernel      - explicitly grouped, several groups per channel so that even 6 channels
//                                (LeNet's conv1) fill the GPU: grid (slices, channels), group (s, c) sums
//                                slice s of channel c's outer*inner elements (consecutive threads read
//                                consecutive i; (o, i) advanced without dividing), then thread 0 adds the
//                                threads' sums in order (GroupSize floats of shared memory; no warp shuffles,
//                                which ILGPU's OpenCL C backend cannot generate). With one slice it writes dBias directly;
//                                otherwise it writes its partial, and the group that finishes a channel last
//                                (an atomic arrival counter per channel) adds the channel's partials in slice
//                                order and resets the counter: one launch, and deterministic, since every sum
//                                has a fixed order whichever group arrives last.
//
// SumSlicesKernel adds equally long slices element-wise (the split-K partials of Conv2d.cs).
//
// Members: one launch covers every member of a group (MemberStrides.cs). BiasGradientKernel's grid is
// (slices, members x channels): group row member * channels + c is channel c of that member, with its own arrival
// counter and partials; the slice count comes from one member's shape, so a member's sums are those of its lone run.
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
    /// Variant 2 (multi-group reduction): dBias (channels) from dy (outer, channels, inner), per member.
    /// Grid = (slices, members * channels) groups, group = <see cref="GroupSize"/> threads.
    /// </summary>
    /// <param name="allDY">dOutput (outer, channels, inner) of every member.</param>
    /// <param name="allDBias">dBias (channels) of every member, overwritten.</param>
    /// <param name="partials">Scratch (members * channels, slices); unused with one slice.</param>
    /// <param name="arrivals">Arrival counters (members * channels), all 0 before the launch and after it.</param>
    /// <param name="outer">Outer extent (batch).</param>
    /// <param name="inner">Inner extent (pixels per plane, 1 after a linear layer).</param>
    /// <param name="members">Count = channels; strides of dy, dBias.</param>
    [GroupThreads(GroupSize)]
    public static void BiasGradientKernel(
        ArrayView<float> allDY, ArrayView<float> allDBias, ArrayView<float> partials, ArrayView<int> arrivals, int outer, int inner, MemberStrides members)
    {
        var threadSums = SharedMemory.Allocate<float>(GroupSize);
        int slice = Grid.IdxX, slices = Grid.DimX, group = Grid.IdxY, thread = Group.IdxX, channels = members.Count;
        var member = members.Member(group, out var channel);
        ArrayView<float> dy = allDY.SubView(member * members.First), dBias = allDBias.SubView(member * members.Second);

        // Slice s takes elements j = o * inner + i in [s * perSlice, (s + 1) * perSlice), thread-strided; (o, i)
        // advances by GroupSize = stepO * inner + stepI per iteration with one carry instead of a division.
        int total = outer * inner, perSlice = (total + slices - 1) / slices;
        int start = slice * perSlice + thread, end = Math.Min(total, (slice + 1) * perSlice);
        int o = start / inner, i = start - o * inner, stepO = GroupSize / inner, stepI = GroupSize - stepO * inner;
        var sum = 0f;
        for (var j = start; j < end; j += GroupSize)
        {
            sum += dy[((long)o * channels + channel) * inner + i];
            o += stepO;
            i += stepI;
            if (i >= inner)
            {
                i -= inner;
                o++;
            }
        }

        // The group's sum: thread 0 adds the threads' sums in thread order (the same order on every run). Warp shuffles
        // would do this in registers, but ILGPU 1.5.3's OpenCL C backend generates no shuffle, and `--device opencl`
        // runs this kernel; the training step does not (its bias gradients are GEMM columns, IBackend.Fused.cs).
        threadSums[thread] = sum;
        Group.Barrier();
        if (thread != 0)
        {
            return;
        }

        var block = 0f;
        for (var t = 0; t < GroupSize; t++)
        {
            block += threadSums[t];
        }

        if (slices == 1)
        {
            dBias[channel] = block;
            return;
        }

        partials[group * slices + slice] = block;
        MemoryFence.DeviceLevel();
        if (Atomic.Add(ref arrivals[group], 1) == slices - 1)
        {
            // The channel's last group: every partial is written; add them in slice order.
            MemoryFence.DeviceLevel();
            var all = 0f;
            for (var s = 0; s < slices; s++)
            {
                all += partials[group * slices + s];
            }

            dBias[channel] = all;
            arrivals[group] = 0;
        }
    }

    /// <summary>sum[i] = sum over s of slices[s, i], slices (count, length), sum (length), per member.</summary>
    /// <param name="index">member * length + element index.</param>
    /// <param name="slices">The slices of every member, each member's back to back (count, length).</param>
    /// <param name="sum">The element-wise total (length) of every member, overwritten.</param>
    /// <param name="count">Number of slices.</param>
    /// <param name="members">Count = length; strides of slices, sum.</param>
    public static void SumSlicesKernel(Index1D index, ArrayView<float> slices, ArrayView<float> sum, int count, MemberStrides members)
    {
        var member = members.Member(index, out var element);
        var first = member * members.First + element;
        var total = 0f;
        for (var s = 0; s < count; s++)
        {
            total += slices[first + (long)s * members.Count];
        }

        sum[member * members.Second + element] = total;
    }
}
