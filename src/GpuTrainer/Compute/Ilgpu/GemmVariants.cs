using GpuTrainer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>The GEMM loop variants the backend launches (Gemm.cs: 1 naive, 2 tiled, 3 blocked 128, 4 blocked 64).</summary>
public enum GemmVariant
{
    /// <summary>Variant 1: one thread per C element, no shared memory (the yardstick; the CPU accelerator's usual choice).</summary>
    Naive = 1,

    /// <summary>Variant 2: 16 x 16 shared tiles, one output per thread.</summary>
    Tiled = 2,

    /// <summary>Variant 3: 128 x 128 x 16 block tile, 8 x 8 outputs per thread.</summary>
    Blocked128 = 3,

    /// <summary>Variant 4: 64 x 64 x 32 block tile, 4 x 4 outputs per thread.</summary>
    Blocked64 = 4,
}

/// <summary>
/// The launchable GEMM variants over one operand struct (plain GEMM or a convolution pass), loaded once; each launch
/// runs the variant that <see cref="GemmChoice"/> picks for ONE member's shape on this accelerator, for every member of a
/// group at once (grid z = members x the op's own batches), so a member runs the loop of its lone run.
/// </summary>
/// <typeparam name="TOperands">How op(A), op(B) and C are read and written.</typeparam>
internal sealed class GemmVariants<TOperands>
    where TOperands : struct, IMatrixOperands<TOperands>
{
    private readonly Action<Index3D, TOperands, int> _naive;
    private readonly Action<KernelConfig, TOperands, int> _tiled, _blocked128, _blocked64;
    private readonly LaunchMeter _meter;
    private readonly GemmChoice _choice;

    /// <summary>Loads the variants on <paramref name="accelerator"/>; launches go through <paramref name="meter"/>, picked by <paramref name="choice"/>.</summary>
    public GemmVariants(Accelerator accelerator, LaunchMeter meter, GemmChoice choice)
    {
        (_meter, _choice) = (meter, choice);
        _naive = accelerator.LoadAutoGroupedStreamKernel<Index3D, TOperands, int>(GemmKernels.NaiveKernel);
        _tiled = Load(accelerator, GemmKernels.TiledKernel);
        _blocked128 = Load(accelerator, GemmKernels.Blocked128Kernel);
        _blocked64 = Load(accelerator, GemmKernels.Blocked64Kernel);
    }

    /// <summary>Groups the GPU model's variant launches for C (rows, cols) over <paramref name="batch"/> batches (split-K sizing).</summary>
    public static Index3D Grid(int rows, int cols, int batch) => GemmChoice.ForGpu(rows, cols, batch) switch
    {
        GemmVariant.Blocked128 => GemmKernels.Blocked128Grid(rows, cols, batch),
        GemmVariant.Blocked64 => GemmKernels.Blocked64Grid(rows, cols, batch),
        _ => GemmKernels.TiledGrid(rows, cols, batch),
    };

    /// <summary>
    /// Queues one launch for <paramref name="members"/> members of the variant chosen for one member's C over
    /// <paramref name="batches"/> batches (the choice never depends on K).
    /// </summary>
    public void Launch(TOperands operands, int batches, int members = 1) =>
        Launch(_choice.For(operands.Rows, operands.Cols, operands.Depth, batches), operands, batches, members);

    /// <summary>Queues one launch of <paramref name="variant"/> for every member (tests pin a variant).</summary>
    public void Launch(GemmVariant variant, TOperands operands, int batches, int members = 1)
    {
        int rows = operands.Rows, cols = operands.Cols, z = checked(batches * members);
        switch (variant)
        {
            case GemmVariant.Naive:
                _meter.Launch(_naive, new Index3D(cols, rows, z), operands, batches);
                break;
            case GemmVariant.Blocked128:
                _meter.Launch(_blocked128, new KernelConfig(GemmKernels.Blocked128Grid(rows, cols, z), GemmKernels.BlockedGroup), operands, batches);
                break;
            case GemmVariant.Blocked64:
                _meter.Launch(_blocked64, new KernelConfig(GemmKernels.Blocked64Grid(rows, cols, z), GemmKernels.BlockedGroup), operands, batches);
                break;
            default:
                _meter.Launch(_tiled, new KernelConfig(GemmKernels.TiledGrid(rows, cols, z), GemmKernels.TiledGroup), operands, batches);
                break;
        }
    }

    private static Action<KernelConfig, TOperands, int> Load(Accelerator accelerator, Action<TOperands, int> kernel) =>
        accelerator.LoadStreamKernel(kernel, IlgpuKernelCatalog.SpecializationOf(kernel.Method));
}
