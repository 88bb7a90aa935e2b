using GpuTrainer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>The GEMM loop variants the backend launches (Gemm.cs: 2 tiled, 3 blocked 128, 4 blocked 64).</summary>
public enum GemmVariant
{
    /// <summary>Variant 2: 16 x 16 shared tiles, one output per thread.</summary>
    Tiled = 2,

    /// <summary>Variant 3: 128 x 128 x 16 block tile, 8 x 8 outputs per thread.</summary>
    Blocked128 = 3,

    /// <summary>Variant 4: 64 x 64 x 32 block tile, 4 x 4 outputs per thread.</summary>
    Blocked64 = 4,
}

/// <summary>
/// The launchable GEMM variants over one operand struct (plain GEMM or a convolution pass), loaded once,
/// and the rule that picks one per shape: the least issue time in the static model of the sm_90 report
/// (scripts/ptx_report.py): ceil(groups / 132 SMs) rounds of BM x BN outputs per group at the main loop's
/// SASS instructions per FFMA. Small C favours the 16 x 16 tiles (more groups), large C the 128 x 128 tile,
/// and thin C (6 or 16 conv channels x many pixels) the 64 x 64 tile.
/// </summary>
/// <typeparam name="TOperands">How op(A), op(B) and C are read and written.</typeparam>
internal sealed class GemmVariants<TOperands>
    where TOperands : struct, IMatrixOperands
{
    private readonly Action<KernelConfig, TOperands> _tiled, _blocked128, _blocked64;
    private readonly LaunchMeter _meter;

    /// <summary>Loads the variants on <paramref name="accelerator"/>; launches go through <paramref name="meter"/>.</summary>
    public GemmVariants(Accelerator accelerator, LaunchMeter meter)
    {
        _meter = meter;
        _tiled = Load(accelerator, GemmKernels.TiledKernel);
        _blocked128 = Load(accelerator, GemmKernels.Blocked128Kernel);
        _blocked64 = Load(accelerator, GemmKernels.Blocked64Kernel);
    }

    // Multiprocessors of the modelled GPU (H100 / H200), and SASS instructions per FFMA of each variant's main
    // loop over GemmOperands in benchmarks/results/ptx/report.md (refresh with the report).
    private const int Multiprocessors = 132;
    private const double TiledPerFma = 10.0, Blocked64PerFma = 1.96, Blocked128PerFma = 1.52;

    /// <summary>The variant <see cref="Launch"/> uses for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static GemmVariant Choose(int rows, int cols, int batch)
    {
        double tiled = Cost(rows, cols, batch, GemmKernels.Tile, TiledPerFma);
        double blocked64 = Cost(rows, cols, batch, GemmKernels.BlockedThreads * RegisterTile4x4.Rows, Blocked64PerFma);
        double blocked128 = Cost(rows, cols, batch, GemmKernels.BlockedThreads * RegisterTile8x8.Rows, Blocked128PerFma);
        return blocked128 < Math.Min(tiled, blocked64) ? GemmVariant.Blocked128 : blocked64 < tiled ? GemmVariant.Blocked64 : GemmVariant.Tiled;
    }

    /// <summary>Groups the chosen variant launches for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D Grid(int rows, int cols, int batch) => Choose(rows, cols, batch) switch
    {
        GemmVariant.Blocked128 => GemmKernels.Blocked128Grid(rows, cols, batch),
        GemmVariant.Blocked64 => GemmKernels.Blocked64Grid(rows, cols, batch),
        _ => GemmKernels.TiledGrid(rows, cols, batch),
    };

    /// <summary>Queues one launch of the variant chosen for the operands' C over <paramref name="batch"/> batches.</summary>
    public void Launch(TOperands operands, int batch) => Launch(Choose(operands.Rows, operands.Cols, batch), operands, batch);

    /// <summary>Queues one launch of <paramref name="variant"/> (tests pin a variant).</summary>
    public void Launch(GemmVariant variant, TOperands operands, int batch)
    {
        int rows = operands.Rows, cols = operands.Cols;
        switch (variant)
        {
            case GemmVariant.Blocked128:
                _meter.Launch(_blocked128, new KernelConfig(GemmKernels.Blocked128Grid(rows, cols, batch), GemmKernels.BlockedGroup), operands);
                break;
            case GemmVariant.Blocked64:
                _meter.Launch(_blocked64, new KernelConfig(GemmKernels.Blocked64Grid(rows, cols, batch), GemmKernels.BlockedGroup), operands);
                break;
            default:
                _meter.Launch(_tiled, new KernelConfig(GemmKernels.TiledGrid(rows, cols, batch), GemmKernels.TiledGroup), operands);
                break;
        }
    }

    // Issue time of one variant in the model above, in units of warp-instructions per SM (depth scales all alike).
    private static double Cost(int rows, int cols, int batch, int edge, double perFma)
    {
        var groups = (double)((rows + edge - 1) / edge) * ((cols + edge - 1) / edge) * batch;
        return Math.Ceiling(groups / Multiprocessors) * edge * edge * perFma;
    }

    private static Action<KernelConfig, TOperands> Load(Accelerator accelerator, Action<TOperands> kernel) =>
        accelerator.LoadStreamKernel(kernel, IlgpuKernelCatalog.SpecializationOf(kernel.Method));
}
