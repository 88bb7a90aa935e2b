using GpuTrainer.Kernels;
using ILGPU.Runtime;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// Which GEMM loop variant runs C (rows x cols, depth K, batches) on the backend's accelerator: the cheapest in the
/// cost model of that accelerator, unless a test has pinned one. Every variant computes the same C, so the choice moves
/// only the time.
/// <list type="bullet">
/// <item>GPUs (<see cref="ForGpu"/>): the least issue time in the static model of the sm_90 report
/// (scripts/ptx_report.py): ceil(groups / 132 SMs) rounds of BM x BN outputs per group at the main loop's SASS
/// instructions per FFMA. Small C favours the 16 x 16 tiles (more groups), large C the 128 x 128 tile, and thin C
/// (6 or 16 conv channels x many pixels) the 64 x 64 tile.</item>
/// <item>ILGPU's CPU accelerator (<see cref="ForCpuAccelerator"/>): every simulated thread is an OS thread, and every
/// group barrier, and the end of every group, is a rendezvous of all the group's threads, each of which the OS must
/// switch in (microseconds, against nanoseconds for a multiply-add). Cost = simulated threads x (barriers per group +
/// 1) + the multiply-adds the variant performs (padding included) / <see cref="CpuFmasPerRendezvous"/>. The naive
/// variant (one thread per C element, no barrier) wins at LeNet's shapes, where the tiled one of the GPU model
/// costs up to 100 times as many rendezvous; a few thread-heavy shapes (a linear layer's dW) go to a blocked one.</item>
/// </list>
/// Split-K decisions (IlgpuBackend.SplitImages) follow the GPU model on every accelerator, so a step queues the same
/// launches everywhere. Both are made for ONE member's shape (batches are the op's own, never times K), so a member of a
/// group runs the loop and the splits of its lone run. The kernel-variant tests pin each variant, so every loop is tested on the CPU accelerator
/// whatever it chooses.
/// </summary>
/// <param name="accelerator">The accelerator the kernels run on.</param>
internal sealed class GemmChoice(AcceleratorType accelerator)
{
    // Multiprocessors of the modelled GPU (H100 / H200), and SASS instructions per FFMA of each variant's main
    // loop over GemmOperands in benchmarks/results/ptx/report.md (refresh with the report).
    private const int Multiprocessors = 132;
    private const double TiledPerFma = 10.0, Blocked64PerFma = 1.96, Blocked128PerFma = 1.52;

    /// <summary>
    /// Multiply-adds through the operand structs (a few nanoseconds each on the CPU accelerator) that cost about as much
    /// as one simulated thread's rendezvous (a context switch); an order of magnitude, not a measurement.
    /// </summary>
    private const double CpuFmasPerRendezvous = 1000;

    /// <summary>The variant every launch uses while set (tests run each loop through the backend's own operations).</summary>
    public GemmVariant? Pinned { get; set; }

    /// <summary>The variant for C (rows, cols) with <paramref name="depth"/> K over <paramref name="batch"/> batches.</summary>
    public GemmVariant For(int rows, int cols, int depth, int batch) =>
        Pinned ?? (accelerator == AcceleratorType.CPU ? ForCpuAccelerator(rows, cols, depth, batch) : ForGpu(rows, cols, batch));

    /// <summary>The GPU model's variant for C (rows, cols) over <paramref name="batch"/> batches (never the naive one).</summary>
    public static GemmVariant ForGpu(int rows, int cols, int batch)
    {
        double tiled = GpuCost(rows, cols, batch, GemmKernels.Tile, TiledPerFma);
        double blocked64 = GpuCost(rows, cols, batch, GemmKernels.BlockedThreads * RegisterTile4x4.Rows, Blocked64PerFma);
        double blocked128 = GpuCost(rows, cols, batch, GemmKernels.BlockedThreads * RegisterTile8x8.Rows, Blocked128PerFma);
        return blocked128 < Math.Min(tiled, blocked64) ? GemmVariant.Blocked128 : blocked64 < tiled ? GemmVariant.Blocked64 : GemmVariant.Tiled;
    }

    /// <summary>The CPU accelerator model's variant for C (rows, cols) with <paramref name="depth"/> K over <paramref name="batch"/> batches.</summary>
    public static GemmVariant ForCpuAccelerator(int rows, int cols, int depth, int batch)
    {
        var best = GemmVariant.Naive;
        var least = CpuCost(best, rows, cols, depth, batch);
        foreach (var variant in (ReadOnlySpan<GemmVariant>)[GemmVariant.Blocked64, GemmVariant.Blocked128, GemmVariant.Tiled])
        {
            var cost = CpuCost(variant, rows, cols, depth, batch);
            if (cost < least)
            {
                (best, least) = (variant, cost);
            }
        }

        return best;
    }

    // Issue time of one variant in the GPU model, in units of warp-instructions per SM (depth scales all alike).
    private static double GpuCost(int rows, int cols, int batch, int edge, double perFma)
    {
        var groups = (double)((rows + edge - 1) / edge) * ((cols + edge - 1) / edge) * batch;
        return Math.Ceiling(groups / Multiprocessors) * edge * edge * perFma;
    }

    // Rendezvous plus multiply-adds of one variant in the CPU accelerator model (Gemm.cs gives each loop's barriers:
    // the tiled one 2 per K tile, the blocked ones 1 per K step + 1, and 2 per 64-row epilogue pass).
    private static double CpuCost(GemmVariant variant, int rows, int cols, int depth, int batch)
    {
        if (variant == GemmVariant.Naive)
        {
            // Auto-grouped: groups of one warp (32 threads), one rendezvous each at the group's end.
            var threads = (double)rows * cols * batch;
            return Math.Ceiling(threads / 32) * 32 + threads * depth / CpuFmasPerRendezvous;
        }

        var (edge, kStep, barriers) = variant switch
        {
            GemmVariant.Tiled => (GemmKernels.Tile, GemmKernels.Tile, 2 * Steps(depth, GemmKernels.Tile)),
            GemmVariant.Blocked64 => (GemmKernels.BlockedThreads * RegisterTile4x4.Rows, RegisterTile4x4.Depth, Steps(depth, RegisterTile4x4.Depth) + 1 + 2 * (RegisterTile4x4.Rows / 4)),
            _ => (GemmKernels.BlockedThreads * RegisterTile8x8.Rows, RegisterTile8x8.Depth, Steps(depth, RegisterTile8x8.Depth) + 1 + 2 * (RegisterTile8x8.Rows / 4)),
        };
        var groups = (double)Steps(rows, edge) * Steps(cols, edge) * batch;
        var threadsPerGroup = variant == GemmVariant.Tiled ? GemmKernels.Tile * GemmKernels.Tile : GemmKernels.BlockedThreads * GemmKernels.BlockedThreads;
        return groups * threadsPerGroup * (barriers + 1) + groups * edge * edge * Steps(depth, kStep) * kStep / CpuFmasPerRendezvous;
    }

    private static int Steps(int extent, int step) => (extent + step - 1) / step;
}
