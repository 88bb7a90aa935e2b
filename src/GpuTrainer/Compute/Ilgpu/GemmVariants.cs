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
/// and the rule that picks one per shape: the largest block tile that both C dimensions fill
/// (M, N >= 128: variant 3; >= 32: variant 4; else variant 2), so small shapes waste few threads.
/// </summary>
/// <typeparam name="TOperands">How op(A), op(B) and C are read and written.</typeparam>
internal sealed class GemmVariants<TOperands>
    where TOperands : struct, IMatrixOperands
{
    private readonly Action<KernelConfig, TOperands> _tiled, _blocked128, _blocked64;

    public GemmVariants(Accelerator accelerator)
    {
        _tiled = Load(accelerator, GemmKernels.TiledKernel);
        _blocked128 = Load(accelerator, GemmKernels.Blocked128Kernel);
        _blocked64 = Load(accelerator, GemmKernels.Blocked64Kernel);
    }

    /// <summary>The variant <see cref="Launch"/> uses for C (rows, cols).</summary>
    public static GemmVariant Choose(int rows, int cols) => Math.Min(rows, cols) switch
    {
        >= 128 => GemmVariant.Blocked128,
        >= 32 => GemmVariant.Blocked64,
        _ => GemmVariant.Tiled,
    };

    /// <summary>Groups the chosen variant launches for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D Grid(int rows, int cols, int batch) => Choose(rows, cols) switch
    {
        GemmVariant.Blocked128 => GemmKernels.Blocked128Grid(rows, cols, batch),
        GemmVariant.Blocked64 => GemmKernels.Blocked64Grid(rows, cols, batch),
        _ => GemmKernels.TiledGrid(rows, cols, batch),
    };

    /// <summary>Queues one launch of the variant chosen for the operands' C over <paramref name="batch"/> batches.</summary>
    public void Launch(TOperands operands, int batch) => Launch(Choose(operands.Rows, operands.Cols), operands, batch);

    /// <summary>Queues one launch of <paramref name="variant"/> (tests pin a variant).</summary>
    public void Launch(GemmVariant variant, TOperands operands, int batch)
    {
        int rows = operands.Rows, cols = operands.Cols;
        switch (variant)
        {
            case GemmVariant.Blocked128:
                _blocked128(new KernelConfig(GemmKernels.Blocked128Grid(rows, cols, batch), GemmKernels.BlockedGroup), operands);
                break;
            case GemmVariant.Blocked64:
                _blocked64(new KernelConfig(GemmKernels.Blocked64Grid(rows, cols, batch), GemmKernels.BlockedGroup), operands);
                break;
            default:
                _tiled(new KernelConfig(GemmKernels.TiledGrid(rows, cols, batch), GemmKernels.TiledGroup), operands);
                break;
        }
    }

    private static Action<KernelConfig, TOperands> Load(Accelerator accelerator, Action<TOperands> kernel) =>
        accelerator.LoadStreamKernel(kernel, IlgpuKernelCatalog.SpecializationOf(kernel.Method));
}
