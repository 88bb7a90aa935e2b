// Fused softmax + cross-entropy over logits (rows, classes) with integer-valued float labels (rows), per member.
//
// Accumulation rule: dLogits is OVERWRITTEN (`=`); stats ACCUMULATES (`+=`) so that an evaluation can sum many batches
// before one download: stats[0] += loss sum, stats[1] += correct rows.
//
// Variants: one. ONE launch for every member of a group: one explicitly grouped group per member (grid K, group
// GroupThreadsFor(rows) threads). Thread t takes rows t, t + threads, ... (classes is small, 10 for MNIST): the max, the
// log-sum-exp, the first arg-max, the loss and the whole dLogits row in one pass over memory, the row losses and hits
// added in row order. The group then sums the thread partials in a fixed order (Chunks threads each add a run of
// threads / Chunks partials, thread 0 adds the Chunks sums) and thread 0 adds the totals to the member's stats: one
// writer per member, so no atomics, and every sum has an order that depends on rows alone, never on K or on timing
// (float atomics gave an order that changed from run to run; and ILGPU 1.5.3's float atomic add on its CPU accelerator
// spins for ever once the target is NaN, which a diverged member's loss is).
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>The fused loss kernel.</summary>
public static class LossKernels
{
    /// <summary>The most threads of a group (rows beyond it loop).</summary>
    public const int MaxGroupThreads = 256;

    /// <summary>Threads that add runs of the thread partials (and the fewest threads of a group).</summary>
    public const int Chunks = 32;

    /// <summary>Threads per group for <paramref name="rows"/> rows: the power of two at or above rows, within [Chunks, MaxGroupThreads].</summary>
    /// <param name="rows">Rows per member.</param>
    public static int GroupThreadsFor(int rows)
    {
        var threads = Chunks;
        while (threads < rows && threads < MaxGroupThreads)
        {
            threads *= 2;
        }

        return threads;
    }

    /// <summary>
    /// Per member: dLogits[r,k] = (softmax(logits[r])[k] - onehot(label[r])[k]) * gradScale;
    /// stats[0] += sum over r of -log softmax(logits[r])[label[r]]; stats[1] += rows whose first arg-max equals the label.
    /// Grid = members groups of <see cref="GroupThreadsFor"/>(rows) threads.
    /// </summary>
    /// <param name="allLogits">logits (rows, classes) of every member.</param>
    /// <param name="allLabels">labels (rows), integer values in [0, classes); usually one view every member shares.</param>
    /// <param name="allDLogits">dLogits (rows, classes) of every member, overwritten.</param>
    /// <param name="allStats">stats (2) of every member: loss sum and correct count, accumulated.</param>
    /// <param name="classes">Classes per row.</param>
    /// <param name="gradScale">Factor applied to dLogits (1/rows for a mean loss).</param>
    /// <param name="members">Count = rows; strides of logits, labels, dLogits, stats.</param>
    [GroupThreads(MaxGroupThreads)]
    public static void SoftmaxCrossEntropyKernel(
        ArrayView<float> allLogits, ArrayView<float> allLabels, ArrayView<float> allDLogits, ArrayView<float> allStats, int classes, float gradScale,
        MemberStrides members)
    {
        var threadLosses = SharedMemory.Allocate<float>(MaxGroupThreads);
        var threadHits = SharedMemory.Allocate<int>(MaxGroupThreads);
        var chunkLosses = SharedMemory.Allocate<float>(Chunks);
        var chunkHits = SharedMemory.Allocate<int>(Chunks);
        int member = Grid.IdxX, thread = Group.IdxX, threads = Group.DimX, rows = members.Count;
        ArrayView<float> logits = allLogits.SubView(member * members.First), labels = allLabels.SubView(member * members.Second);
        var dLogits = allDLogits.SubView(member * members.Third);

        var loss = 0f;
        var hits = 0;
        for (var row = thread; row < rows; row += threads)
        {
            var start = (long)row * classes;
            var max = logits[start];
            var argMax = 0;
            for (var k = 1; k < classes; k++)
            {
                var v = logits[start + k];
                if (v > max)
                {
                    (max, argMax) = (v, k);
                }
            }

            var sum = 0f;
            for (var k = 0; k < classes; k++)
            {
                sum += MathF.Exp(logits[start + k] - max);
            }

            var label = (int)labels[row];
            for (var k = 0; k < classes; k++)
            {
                var p = MathF.Exp(logits[start + k] - max) / sum;
                dLogits[start + k] = (k == label ? p - 1f : p) * gradScale;
            }

            loss += MathF.Log(sum) + max - logits[start + label];
            hits += argMax == label ? 1 : 0;
        }

        threadLosses[thread] = loss;
        threadHits[thread] = hits;
        Group.Barrier();
        if (thread < Chunks)
        {
            int run = threads / Chunks, first = thread * run;
            var chunkLoss = 0f;
            var chunkHit = 0;
            for (var t = first; t < first + run; t++)
            {
                chunkLoss += threadLosses[t];
                chunkHit += threadHits[t];
            }

            chunkLosses[thread] = chunkLoss;
            chunkHits[thread] = chunkHit;
        }

        Group.Barrier();
        if (thread == 0)
        {
            var total = 0f;
            var correct = 0;
            for (var c = 0; c < Chunks; c++)
            {
                total += chunkLosses[c];
                correct += chunkHits[c];
            }

            var stats = allStats.SubView(member * members.Fourth);
            stats[0] += total;
            stats[1] += correct;
        }
    }
}
