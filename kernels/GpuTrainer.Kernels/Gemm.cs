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
//   3. Blocked128Kernel - register-blocked: block tile 128 x 128 x 8 (BM x BN x BK), 16 x 16 threads,
//                     each thread 8 x 8 outputs in registers (RegisterTile8x8): per k 4 LDS.128 feed
//                     64 FFMA (16 FMAs per shared load, against 0.5 in variant 2). Shared tiles k-major,
//                     double-buffered: 2 x 8 x (128 + 128) floats = 16 KB; each K step first fills the other
//                     buffer with the next step's tile, then multiplies this one, so one barrier per step.
//                     Loads are not held in registers across the arithmetic (that cost 60+ registers and
//                     spilled); latency is hidden by the other resident groups (.minnctapersm 2 via
//                     [GroupThreads], so ptxas keeps to 128 registers).
//   4. Blocked64Kernel  - the same loop with block tile 64 x 64 x 16 and 4 x 4 outputs per thread
//                     (RegisterTile4x4; 2 LDS.128 feed 16 FFMA), for LeNet's small shapes:
//                     2 x 16 x (64 + 64) floats = 16 KB.
//   Both load 4 elements of each operand tile per thread per K step, zero-filled outside M, N, K, so any
//   M, N, K and batch work; consecutive threads walk the operand's contiguous dimension (coalesced).
// The backend picks the variant per shape (IlgpuBackend.GemmVariant): 3 when M and N reach 128,
// 4 when they reach 32, else 2.
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

    /// <summary>
    /// The part of C[batch][row, col]'s element index that depends on the row (and batch): C's index is
    /// separable, RowOffset + ColOffset, so a register tile computes TM + TN offsets, not TM x TN indices.
    /// </summary>
    long RowOffset(int batch, int row);

    /// <summary>The part of C[batch][row, col]'s element index that depends on the column (and batch).</summary>
    long ColOffset(int batch, int col);

    /// <summary>Writes a finished dot product into C at element <paramref name="index"/> = RowOffset + ColOffset.</summary>
    void Store(long index, float dot);
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
    public long RowOffset(int batch, int row) => batch * _strideC + (long)row * _n;

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => col;

    /// <inheritdoc/>
    public void Store(long index, float dot) => _c[index] = _beta == 0f ? _alpha * dot : _alpha * dot + _beta * _c[index];
}

/// <summary>GEMM-shaped kernels over any <see cref="IMatrixOperands"/>.</summary>
public static class GemmKernels
{
    /// <summary>Edge of the square output tile (and of the K step) of <see cref="TiledKernel{TOperands}"/>.</summary>
    public const int Tile = 16;

    // Shared tiles are padded by one column so that transposed (column-wise) stores hit distinct banks.
    private const int TileStride = Tile + 1;
    private const int TileFloats = Tile * TileStride;

    /// <summary>Threads along each side of the blocked kernels' groups (16 x 16 = 256 threads).</summary>
    public const int BlockedThreads = 16;

    /// <summary>Group shape of <see cref="TiledKernel{TOperands}"/>: Tile x Tile threads.</summary>
    public static Index3D TiledGroup => new(Tile, Tile, 1);

    /// <summary>Grid of <see cref="TiledKernel{TOperands}"/> for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D TiledGrid(int rows, int cols, int batch) =>
        new((cols + Tile - 1) / Tile, (rows + Tile - 1) / Tile, batch);

    // Floats of one buffer of one operand's shared tile in both blocked variants: 128 x 8 = 64 x 16.
    private const int BlockedTileFloats = 1024;

    /// <summary>Group shape of the blocked kernels: 16 x 16 threads.</summary>
    public static Index3D BlockedGroup => new(BlockedThreads, BlockedThreads, 1);

    /// <summary>Grid of <see cref="Blocked128Kernel{TOperands}"/> for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D Blocked128Grid(int rows, int cols, int batch) => BlockedGrid(rows, cols, batch, BlockedThreads * RegisterTile8x8.Rows);

    /// <summary>Grid of <see cref="Blocked64Kernel{TOperands}"/> for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D Blocked64Grid(int rows, int cols, int batch) => BlockedGrid(rows, cols, batch, BlockedThreads * RegisterTile4x4.Rows);

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

        operands.Store(operands.RowOffset(index.Z, index.Y) + operands.ColOffset(index.Z, index.X), sum);
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
            operands.Store(operands.RowOffset(batch, row0 + ty) + operands.ColOffset(batch, col0 + tx), sum);
        }
    }

    /// <summary>
    /// Variant 3 (register-blocked, 128 x 128 x 8, 8 x 8 per thread). Grid <see cref="Blocked128Grid"/>,
    /// group <see cref="BlockedGroup"/>: group (gx, gy, batch) computes C[batch] rows gy*128.., cols gx*128..;
    /// thread (tx, ty) owns rows ty*8..ty*8+7 and cols tx*8..tx*8+7 of that tile.
    /// </summary>
    /// <param name="operands">The operands and the output.</param>
    [GroupThreads(BlockedThreads * BlockedThreads, MinGroupsPerMultiprocessor = 2)]
    public static void Blocked128Kernel<TOperands>(TOperands operands)
        where TOperands : struct, IMatrixOperands =>
        Blocked<TOperands, RegisterTile8x8>(operands, RegisterTile8x8.Rows, RegisterTile8x8.Depth);

    /// <summary>
    /// Variant 4 (register-blocked, 64 x 64 x 16, 4 x 4 per thread). Grid <see cref="Blocked64Grid"/>,
    /// group <see cref="BlockedGroup"/>; thread (tx, ty) owns rows ty*4.. and cols tx*4.. of the group's tile.
    /// </summary>
    /// <param name="operands">The operands and the output.</param>
    [GroupThreads(BlockedThreads * BlockedThreads, MinGroupsPerMultiprocessor = 2)]
    public static void Blocked64Kernel<TOperands>(TOperands operands)
        where TOperands : struct, IMatrixOperands =>
        Blocked<TOperands, RegisterTile4x4>(operands, RegisterTile4x4.Rows, RegisterTile4x4.Depth);

    private static Index3D BlockedGrid(int rows, int cols, int batch, int edge) =>
        new((cols + edge - 1) / edge, (rows + edge - 1) / edge, batch);

    // The blocked loop; `perThread` (TM = TN) and `depth` (BK) are constants at every call, so
    // BM = BN = 16 * perThread (edge * depth = BlockedTileFloats) and every index below folds to shifts and adds. Each thread loads
    // LoadsPerThread = BM * BK / 256 = 4 elements of each operand tile per K step.
    private static void Blocked<TOperands, TTile>(TOperands operands, int perThread, int depth)
        where TOperands : struct, IMatrixOperands
        where TTile : struct, IRegisterTile<TTile>
    {
        int edge = BlockedThreads * perThread, tileFloats = BlockedTileFloats;
        // Two buffers of each tile; tileA[buffer][kk * edge + r] = op(A)[row0 + r, k0 + kk], tileB[buffer][kk * edge + c] = op(B)[k0 + kk, col0 + c].
        var sharedA = SharedMemory.Allocate<Float4>(2 * BlockedTileFloats / 4);
        var sharedB = SharedMemory.Allocate<Float4>(2 * BlockedTileFloats / 4);
        var floatsA = sharedA.Cast<float>();
        var floatsB = sharedB.Cast<float>();
        int tx = Group.IdxX, ty = Group.IdxY, thread = ty * BlockedThreads + tx, batch = Grid.IdxZ;
        int row0 = Grid.IdxY * edge, col0 = Grid.IdxX * edge;
        int depthTotal = operands.Depth;

        // Element e = thread + i * 256 (i = 0..3) of each tile; its (kk, row|col) follows the operand's
        // contiguous dimension. 256 is a multiple of BK and BM, so only the first element needs a division.
        bool alongKA = operands.AAlongDepth, alongKB = !operands.BAlongCols;
        int kkA = alongKA ? thread % depth : thread / edge, rcA = alongKA ? thread / depth : thread % edge;
        int kkB = alongKB ? thread % depth : thread / edge, rcB = alongKB ? thread / depth : thread % edge;

        Fill(operands, floatsA, floatsB, 0, 0, batch, row0, col0, alongKA, kkA, rcA, alongKB, kkB, rcB, edge, depth);
        Group.Barrier();

        var acc = default(TTile);
        var buffer = 0;
        for (var k0 = 0; k0 < depthTotal; k0 += depth)
        {
            // Fill the other buffer with the next K step, then multiply this one; one barrier per step.
            if (k0 + depth < depthTotal)
            {
                Fill(operands, floatsA, floatsB, (1 - buffer) * tileFloats, k0 + depth, batch, row0, col0, alongKA, kkA, rcA, alongKB, kkB, rcB, edge, depth);
            }

            // Views from this thread's first row / column of the current buffer to the buffer's end (Float4s).
            int offset = buffer * tileFloats, fromA = (offset + ty * perThread) / 4, fromB = (offset + tx * perThread) / 4;
            acc = TTile.Step(
                acc, sharedA.SubView(fromA, (offset + tileFloats) / 4 - fromA), sharedB.SubView(fromB, (offset + tileFloats) / 4 - fromB));
            buffer = 1 - buffer;
            Group.Barrier();
        }

        TTile.Store(acc, operands, batch, row0 + ty * perThread, col0 + tx * perThread);
    }

    // This thread's 4 + 4 elements of the K step at k0 into the shared tiles' buffer at `offset`.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Fill<TOperands>(
        TOperands operands, ArrayView<float> tileA, ArrayView<float> tileB, int offset, int k0, int batch, int row0, int col0,
        bool alongKA, int kkA, int rcA, bool alongKB, int kkB, int rcB, int edge, int depth)
        where TOperands : struct, IMatrixOperands
    {
        // Load returns the element's shared index after setting its value (C# evaluates the index first).
        tileA[offset + Load(operands, true, alongKA, batch, row0, k0, kkA, rcA, 0, edge, depth, out var a0)] = a0;
        tileA[offset + Load(operands, true, alongKA, batch, row0, k0, kkA, rcA, 1, edge, depth, out var a1)] = a1;
        tileA[offset + Load(operands, true, alongKA, batch, row0, k0, kkA, rcA, 2, edge, depth, out var a2)] = a2;
        tileA[offset + Load(operands, true, alongKA, batch, row0, k0, kkA, rcA, 3, edge, depth, out var a3)] = a3;
        tileB[offset + Load(operands, false, alongKB, batch, col0, k0, kkB, rcB, 0, edge, depth, out var b0)] = b0;
        tileB[offset + Load(operands, false, alongKB, batch, col0, k0, kkB, rcB, 1, edge, depth, out var b1)] = b1;
        tileB[offset + Load(operands, false, alongKB, batch, col0, k0, kkB, rcB, 2, edge, depth, out var b2)] = b2;
        tileB[offset + Load(operands, false, alongKB, batch, col0, k0, kkB, rcB, 3, edge, depth, out var b3)] = b3;
    }

    // Element i (0..3) of this thread's share of a block tile (edge x depth of op(A), or depth x edge of
    // op(B)) whose first element sits at (kk0, rc0): reads it (0 outside the matrix) and returns its index
    // in the k-major shared tile. `alongK`: the operand's memory runs along k, so the 256 threads cover
    // 256 / depth rows|cols per element; otherwise they cover 256 / edge values of k.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Load<TOperands>(
        TOperands operands, bool isA, bool alongK, int batch, int first, int k0, int kk0, int rc0, int i, int edge, int depth, out float value)
        where TOperands : struct, IMatrixOperands
    {
        int kk = alongK ? kk0 : kk0 + i * (256 / edge);
        int rc = alongK ? rc0 + i * (256 / depth) : rc0;
        int k = k0 + kk, index = first + rc;
        var inside = k < operands.Depth && index < (isA ? operands.Rows : operands.Cols);
        value = inside ? (isA ? operands.A(batch, index, k) : operands.B(batch, k, index)) : 0f;
        return kk * edge + rc;
    }
}
