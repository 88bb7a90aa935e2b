// GEMM kernels: C = alpha * op(A) op(B) + beta * C, batched and strided, row-major.
//
// Accumulation rule: outputs are OVERWRITTEN (`=`); beta == 0 ignores C's old contents, even NaN.
//
// Both variants are generic over an operand struct (IMatrixOperands) that says how to read op(A)
// and op(B) and where to write C. GemmOperands is the plain strided GEMM; the convolution kernels
// (Conv2d.cs) reuse the same tiled loop as implicit GEMMs whose loaders gather from images.
//
// Variants:
//   1. NaiveKernel  - one thread per C element, reads A and B straight from global memory.
//                     The fallback and the yardstick; never deleted.
//   2. TiledKernel  - explicitly grouped, Tile x Tile threads per group, one C element per thread;
//                     Tile x Tile tiles of op(A) and op(B) staged in shared memory
//                     (2 * 16 * 17 floats = 2.2 KB), loads bounds-checked so any M, N, K work.
//                     The K loop is bounded by K (ILGPU's MatrixMultiply sample bounds it by M).
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>
/// How a GEMM-shaped kernel reads op(A) (Rows x Depth) and op(B) (Depth x Cols) of one batch and
/// stores one element of C (Rows x Cols). Implemented by readonly structs so ILGPU specialises each.
/// </summary>
public interface IMatrixOperands
{
    /// <summary>Rows of op(A) and C (M).</summary>
    int Rows { get; }

    /// <summary>Columns of op(B) and C (N).</summary>
    int Cols { get; }

    /// <summary>Columns of op(A) = rows of op(B) (K), the reduced dimension.</summary>
    int Depth { get; }

    /// <summary>True when consecutive k of op(A)[row, k] are adjacent in memory (decides the coalesced tile load).</summary>
    bool AAlongDepth { get; }

    /// <summary>True when consecutive columns of op(B)[k, col] are adjacent in memory.</summary>
    bool BAlongCols { get; }

    /// <summary>op(A)[row, k] of batch <paramref name="batch"/>; callers keep indices in range.</summary>
    float A(int batch, int row, int k);

    /// <summary>op(B)[k, col] of batch <paramref name="batch"/>; callers keep indices in range.</summary>
    float B(int batch, int k, int col);

    /// <summary>Writes the finished dot product of (row, col) of batch <paramref name="batch"/> into C.</summary>
    void Store(int batch, int row, int col, float dot);
}

/// <summary>
/// Plain strided GEMM operands: A[b] stored (M,K) or (K,M) when transposed, B[b] stored (K,N) or
/// (N,K) when transposed, C[b] (M,N); batch b of each operand starts at b * its stride.
/// </summary>
public readonly struct GemmOperands : IMatrixOperands
{
    private readonly ArrayView<float> _a, _b, _c;
    private readonly int _m, _n, _k, _transA, _transB;
    private readonly long _strideA, _strideB, _strideC;
    private readonly float _alpha, _beta;

    /// <summary>Describes one batched GEMM; the views must be long enough for every batch.</summary>
    public GemmOperands(
        ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, bool transA, bool transB,
        long strideA, long strideB, long strideC, float alpha, float beta)
    {
        (_a, _b, _c, _m, _n, _k) = (a, b, c, m, n, k);
        (_transA, _transB) = (transA ? 1 : 0, transB ? 1 : 0);
        (_strideA, _strideB, _strideC, _alpha, _beta) = (strideA, strideB, strideC, alpha, beta);
    }

    /// <inheritdoc/>
    public int Rows => _m;

    /// <inheritdoc/>
    public int Cols => _n;

    /// <inheritdoc/>
    public int Depth => _k;

    /// <inheritdoc/>
    public bool AAlongDepth => _transA == 0;

    /// <inheritdoc/>
    public bool BAlongCols => _transB == 0;

    /// <inheritdoc/>
    public float A(int batch, int row, int k) =>
        _a[batch * _strideA + (_transA != 0 ? (long)k * _m + row : (long)row * _k + k)];

    /// <inheritdoc/>
    public float B(int batch, int k, int col) =>
        _b[batch * _strideB + (_transB != 0 ? (long)col * _k + k : (long)k * _n + col)];

    /// <inheritdoc/>
    public void Store(int batch, int row, int col, float dot)
    {
        var index = batch * _strideC + (long)row * _n + col;
        _c[index] = _beta == 0f ? _alpha * dot : _alpha * dot + _beta * _c[index];
    }
}

/// <summary>GEMM-shaped kernels over any <see cref="IMatrixOperands"/>.</summary>
public static class GemmKernels
{
    /// <summary>Edge of the square output tile (and of the K step) of <see cref="TiledKernel{TOperands}"/>.</summary>
    public const int Tile = 16;

    // Shared tiles are padded by one column so that transposed (column-wise) stores hit distinct banks.
    private const int TileStride = Tile + 1;
    private const int TileFloats = Tile * TileStride;

    /// <summary>Group shape of <see cref="TiledKernel{TOperands}"/>: Tile x Tile threads.</summary>
    public static Index3D TiledGroup => new(Tile, Tile, 1);

    /// <summary>Grid of <see cref="TiledKernel{TOperands}"/> for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D TiledGrid(int rows, int cols, int batch) =>
        new((cols + Tile - 1) / Tile, (rows + Tile - 1) / Tile, batch);

    /// <summary>
    /// Variant 1 (naive). C (Rows, Cols) of every batch; index = (col, row, batch), one thread per element.
    /// </summary>
    /// <param name="index">X = column of C, Y = row of C, Z = batch.</param>
    /// <param name="operands">The operands and the output.</param>
    public static void NaiveKernel<TOperands>(Index3D index, TOperands operands)
        where TOperands : struct, IMatrixOperands
    {
        var sum = 0f;
        for (var k = 0; k < operands.Depth; k++)
        {
            sum += operands.A(index.Z, index.Y, k) * operands.B(index.Z, k, index.X);
        }

        operands.Store(index.Z, index.Y, index.X, sum);
    }

    /// <summary>
    /// Variant 2 (shared-memory tiles). Grid <see cref="TiledGrid"/>, group <see cref="TiledGroup"/>:
    /// group (gx, gy, batch) computes C[batch] rows gy*Tile.., cols gx*Tile..; thread (tx, ty) owns
    /// C[row0 + ty, col0 + tx], so neighbouring threads write neighbouring columns.
    /// </summary>
    /// <param name="operands">The operands and the output.</param>
    [GroupThreads(Tile * Tile)]
    public static void TiledKernel<TOperands>(TOperands operands)
        where TOperands : struct, IMatrixOperands
    {
        var tileA = SharedMemory.Allocate<float>(TileFloats); // tileA[r * TileStride + kk] = op(A)[row0 + r, k0 + kk]
        var tileB = SharedMemory.Allocate<float>(TileFloats); // tileB[kk * TileStride + c] = op(B)[k0 + kk, col0 + c]
        int tx = Group.IdxX, ty = Group.IdxY, batch = Grid.IdxZ;
        int row0 = Grid.IdxY * Tile, col0 = Grid.IdxX * Tile;
        int rows = operands.Rows, cols = operands.Cols, depth = operands.Depth;

        // Each thread loads one element of each tile; which tile coordinate follows tx is chosen
        // so that neighbouring threads read neighbouring addresses (coalesced global loads).
        int aRow = operands.AAlongDepth ? ty : tx, aK = operands.AAlongDepth ? tx : ty;
        int bCol = operands.BAlongCols ? tx : ty, bK = operands.BAlongCols ? ty : tx;

        var sum = 0f;
        for (var k0 = 0; k0 < depth; k0 += Tile)
        {
            tileA[aRow * TileStride + aK] = row0 + aRow < rows && k0 + aK < depth ? operands.A(batch, row0 + aRow, k0 + aK) : 0f;
            tileB[bK * TileStride + bCol] = k0 + bK < depth && col0 + bCol < cols ? operands.B(batch, k0 + bK, col0 + bCol) : 0f;
            Group.Barrier();

            for (var kk = 0; kk < Tile; kk++)
            {
                sum += tileA[ty * TileStride + kk] * tileB[kk * TileStride + tx];
            }

            Group.Barrier();
        }

        if (row0 + ty < rows && col0 + tx < cols)
        {
            operands.Store(batch, row0 + ty, col0 + tx, sum);
        }
    }
}
