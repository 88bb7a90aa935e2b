// A float atomic add that terminates when the target is NaN.
//
// ILGPU 1.5.3's Atomic.Add(ref float, float) on its CPU accelerator is a compare-exchange loop that compares the floats
// themselves; NaN never equals itself, so once the target is NaN every later add spins for ever (a training whose loss
// turned non-finite hung its process). This loop compares the bits, which always match when no other thread wrote
// in between; NaN plus anything stays NaN, as with the hardware add.
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Atomic float accumulation that is safe for non-finite values on every accelerator.</summary>
public static class FloatAtomics
{
    /// <summary>target[index] += value, atomically; returns nothing (the old value is not needed by any caller).</summary>
    /// <param name="target">The accumulators, viewed as floats.</param>
    /// <param name="index">The accumulator to add to.</param>
    /// <param name="value">The value added (any float, NaN and infinities included).</param>
    public static void Add(ArrayView<float> target, long index, float value)
    {
        var bits = target.Cast<uint>();
        var seen = bits[index];
        while (true)
        {
            var sum = Interop.FloatAsInt(Interop.IntAsFloat(seen) + value);
            var current = Atomic.CompareExchange(ref bits[index], seen, sum);
            if (current == seen)
            {
                return;
            }

            seen = current;
        }
    }
}
