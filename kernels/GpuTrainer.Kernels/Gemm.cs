// GEMM kernels: C = alpha * op(A) op(B) + beta * C, batched and strided, row-major.
//
// Accumulation rule: outputs are OVERWRITTEN (`=`); beta == 0 ignores C's old contents, even NaN.
//
// Both variants are generic over an operand struct (IMatrixOperands) that says how to read op(A)
// and op(B) and where to write C. GemmOperands is the plain strided GEMM; the convolution kernels
// (Conv2d.cs) reuse the same tiled loop as implicit GEMMs whose loaders gather from images.
//
// Members: one launch covers the K members of a model group. Grid z = K x batches, where `batches` (a kernel
// argument) is the op's own GEMM batches per member (1; a backward-weight's split-K splits; a linear backward's 2):
// z = member * batches + batch. Each thread splits z once, then works on operands.ForMember(member), whose views
// start at that member's (member strides inside the struct; 0 for a view every member shares, like the input
// batch), so no load pays for the member and member k computes exactly what it computes in a launch of its own.
//
// Variants:
//   1. NaiveKernel  - one thread per C element, reads A and B straight from global memory.
//                     The fallback and the yardstick; never deleted.
//   2. TiledKernel  - explicitly grouped, Tile x Tile threads per group, one C element per thread;
//                     Tile x Tile tiles of op(A) and op(B) staged in shared memory
//                     (2 * 16 * 17 floats = 2.2 KB), loads bounds-checked so any M, N, K work.
//                     The K loop is bounded by K (ILGPU's MatrixMultiply sample bounds it by M).
//   3. Blocked128Kernel - register-blocked: block tile 128 x 128 x 16 (BM x BN x BK), 16 x 16 threads,
//                     each thread 8 x 8 outputs in registers (RegisterTile8x8): per k 4 LDS.128 feed
//                     64 FFMA (16 FMAs per shared load, against 0.5 in variant 2). Shared tiles k-major,
//                     double-buffered: 2 x 16 x (128 + 128) floats = 32 KB; step s fills one buffer with K step s
//                     and multiplies the other (step s - 1), so one barrier per step and one copy of the loader.
//                     Loads are not held in registers across the arithmetic (that cost 60+ registers and
//                     spilled); latency is hidden by the other resident groups (.minnctapersm 2 via
//                     [GroupThreads], so ptxas keeps to 128 registers).
//   4. Blocked64Kernel  - the same loop with block tile 64 x 64 x 32 and 4 x 4 outputs per thread
//                     (RegisterTile4x4; 2 LDS.128 feed 16 FFMA), for LeNet's small shapes:
//                     2 x 32 x (64 + 64) floats = 32 KB.
//   Both load 8 elements of each operand tile per thread per K step, zero-filled outside M, N, K, so any
//   M, N, K and batch work; consecutive threads walk the operand's contiguous dimension (coalesced).
//   Their epilogue stages the accumulators in the (then free) shared tiles, 64 rows of the block tile per
//   pass, and stores them row-wise from there: coalesced, and one bounds-checked Store call site instead
//   of TM x TN unrolled ones.
// The backend picks the variant per shape and accelerator (src/GpuTrainer/Compute/Ilgpu/GemmChoice.cs: on a GPU the
// least issue time in the static sm_90 model of scripts/ptx_report.py; on ILGPU's CPU accelerator, where every
// simulated thread is an OS thread, the fewest thread rendezvous at barriers, usually variant 1).
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>
/// How a GEMM-shaped kernel reads op(A) (Rows x Depth) and op(B) (Depth x Cols) of one batch and
/// stores one element of C (Rows x Cols). Implemented by readonly structs so ILGPU specialises each.
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
public interface IMatrixOperands<TSelf>
    where TSelf : struct, IMatrixOperands<TSelf>
{
    /// <summary>
    /// These operands for member <paramref name="member"/> of a group: every view moved to that member's start by its
    /// member stride (0 for a view every member shares). Member 0 is these operands unchanged.
    /// </summary>
    TSelf ForMember(int member);

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

    /// <summary>
    /// Writes a finished dot product into C at element <paramref name="index"/> = RowOffset + ColOffset, which is
    /// C[row, col] (an epilogue such as bias + activation reads the row or column, see GemmEpilogues.cs).
    /// </summary>
    void Store(long index, int row, int col, float dot);
}

/// <summary>
/// Plain strided GEMM operands: A[b] stored (M,K) or (K,M) when transposed, B[b] stored (K,N) or
/// (N,K) when transposed, C[b] (M,N); batch b of each operand starts at b * its stride.
/// </summary>
public readonly struct GemmOperands : IMatrixOperands<GemmOperands>
{
    private readonly ArrayView<float> _a, _b, _c;
    private readonly int _m, _n, _k, _transA, _transB;
    // Element steps of op(A) per row and per k, of op(B) per k and per column, within one batch: the transposes
    // as strides, so a load is two integer multiply-adds, not a choice between two index formulas.
    private readonly int _aRowStep, _aDepthStep, _bDepthStep, _bColStep;
    private readonly long _strideA, _strideB, _strideC;
    private readonly float _alpha, _beta;
    private readonly int _memberA, _memberB, _memberC;

    /// <summary>
    /// Describes one batched GEMM per member; the views must be long enough for every batch of every member, and each
    /// batch's matrices hold fewer than 2^31 elements (indices within a batch are 32-bit). Member k's A, B and C start
    /// k * <paramref name="memberA"/>, <paramref name="memberB"/>, <paramref name="memberC"/> elements in (0: one member, or shared).
    /// </summary>
    public GemmOperands(
        ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, bool transA, bool transB,
        long strideA, long strideB, long strideC, float alpha, float beta, int memberA = 0, int memberB = 0, int memberC = 0)
    {
        (_a, _b, _c, _m, _n, _k) = (a, b, c, m, n, k);
        (_transA, _transB) = (transA ? 1 : 0, transB ? 1 : 0);
        (_aRowStep, _aDepthStep) = transA ? (1, m) : (k, 1);
        (_bDepthStep, _bColStep) = transB ? (1, k) : (n, 1);
        (_strideA, _strideB, _strideC, _alpha, _beta) = (strideA, strideB, strideC, alpha, beta);
        (_memberA, _memberB, _memberC) = (memberA, memberB, memberC);
    }

    /// <inheritdoc/>
    public GemmOperands ForMember(int member) => new(
        _a.SubView(member * _memberA), _b.SubView(member * _memberB), _c.SubView(member * _memberC), _m, _n, _k, _transA != 0, _transB != 0,
        _strideA, _strideB, _strideC, _alpha, _beta, _memberA, _memberB, _memberC);

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
    public float A(int batch, int row, int k) => _a[batch * _strideA + (row * _aRowStep + k * _aDepthStep)];

    /// <inheritdoc/>
    public float B(int batch, int k, int col) => _b[batch * _strideB + (k * _bDepthStep + col * _bColStep)];

    /// <inheritdoc/>
    public long RowOffset(int batch, int row) => batch * _strideC + (long)row * _n;

    /// <inheritdoc/>
    public long ColOffset(int batch, int col) => col;

    /// <inheritdoc/>
    public void Store(long index, int row, int col, float dot) => _c[index] = _beta == 0f ? _alpha * dot : _alpha * dot + _beta * _c[index];
}

/// <summary>GEMM-shaped kernels over any <see cref="IMatrixOperands{TSelf}"/>, every member of a group in one launch.</summary>
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

    /// <summary>Grid of <see cref="TiledKernel{TOperands}"/> for C (rows, cols) over <paramref name="batch"/> batches (of every member).</summary>
    public static Index3D TiledGrid(int rows, int cols, int batch) =>
        new((cols + Tile - 1) / Tile, (rows + Tile - 1) / Tile, batch);

    // Floats of one buffer of one operand's shared tile in both blocked variants: BM x BK = 128 x 16 = 64 x 32.
    private const int BlockedTileFloats = 2048;

    // Shared memory of the blocked variants: 2 buffers x (op(A) tile + op(B) tile) = 8192 floats (32 KB); buffer b's
    // op(A) tile at b * 2 * BlockedTileFloats, its op(B) tile BlockedTileFloats later. The epilogue reuses all of it.
    private const int BlockedSharedFloats = 4 * BlockedTileFloats;

    // Rows of the block tile the epilogue stages per pass: BlockedSharedFloats / BN would be 64 (BN = 128) or
    // 128 (BN = 64); 64 in both, 4 rows from each of the 16 thread rows.
    private const int StagedRows = 4 * BlockedThreads;

    /// <summary>Group shape of the blocked kernels: 16 x 16 threads.</summary>
    public static Index3D BlockedGroup => new(BlockedThreads, BlockedThreads, 1);

    /// <summary>Grid of <see cref="Blocked128Kernel{TOperands}"/> for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D Blocked128Grid(int rows, int cols, int batch) => BlockedGrid(rows, cols, batch, BlockedThreads * RegisterTile8x8.Rows);

    /// <summary>Grid of <see cref="Blocked64Kernel{TOperands}"/> for C (rows, cols) over <paramref name="batch"/> batches.</summary>
    public static Index3D Blocked64Grid(int rows, int cols, int batch) => BlockedGrid(rows, cols, batch, BlockedThreads * RegisterTile4x4.Rows);

    /// <summary>
    /// Variant 1 (naive). C (Rows, Cols) of every batch of every member; index = (col, row, member * batches + batch),
    /// one thread per element.
    /// </summary>
    /// <param name="index">X = column of C, Y = row of C, Z = member * batches + batch.</param>
    /// <param name="all">The operands and the output of member 0 (see <see cref="IMatrixOperands{TSelf}.ForMember"/>).</param>
    /// <param name="batches">The op's GEMM batches per member.</param>
    public static void NaiveKernel<TOperands>(Index3D index, TOperands all, int batches)
        where TOperands : struct, IMatrixOperands<TOperands>
    {
        int member = index.Z / batches, batch = index.Z - member * batches;
        var operands = all.ForMember(member);
        var sum = 0f;
        for (var k = 0; k < operands.Depth; k++)
        {
            sum += operands.A(batch, index.Y, k) * operands.B(batch, k, index.X);
        }

        operands.Store(operands.RowOffset(batch, index.Y) + operands.ColOffset(batch, index.X), index.Y, index.X, sum);
    }

    /// <summary>
    /// Variant 2 (shared-memory tiles). Grid <see cref="TiledGrid"/>, group <see cref="TiledGroup"/>:
    /// group (gx, gy, batch) computes C[batch] rows gy*Tile.., cols gx*Tile..; thread (tx, ty) owns
    /// C[row0 + ty, col0 + tx], so neighbouring threads write neighbouring columns. Grid z = member * batches + batch.
    /// </summary>
    /// <param name="all">The operands and the output of member 0 (see <see cref="IMatrixOperands{TSelf}.ForMember"/>).</param>
    /// <param name="batches">The op's GEMM batches per member.</param>
    [GroupThreads(Tile * Tile)]
    public static void TiledKernel<TOperands>(TOperands all, int batches)
        where TOperands : struct, IMatrixOperands<TOperands>
    {
        var tileA = SharedMemory.Allocate<float>(TileFloats); // tileA[r * TileStride + kk] = op(A)[row0 + r, k0 + kk]
        var tileB = SharedMemory.Allocate<float>(TileFloats); // tileB[kk * TileStride + c] = op(B)[k0 + kk, col0 + c]
        int member = Grid.IdxZ / batches, batch = Grid.IdxZ - member * batches;
        var operands = all.ForMember(member);
        int tx = Group.IdxX, ty = Group.IdxY;
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
            operands.Store(operands.RowOffset(batch, row0 + ty) + operands.ColOffset(batch, col0 + tx), row0 + ty, col0 + tx, sum);
        }
    }

    /// <summary>
    /// Variant 3 (register-blocked, 128 x 128 x 16, 8 x 8 per thread). Grid <see cref="Blocked128Grid"/>,
    /// group <see cref="BlockedGroup"/>: group (gx, gy, batch) computes C[batch] rows gy*128.., cols gx*128..;
    /// thread (tx, ty) owns rows ty*8..ty*8+7 and cols tx*8..tx*8+7 of that tile. Grid z = member * batches + batch.
    /// </summary>
    /// <param name="all">The operands and the output of member 0 (see <see cref="IMatrixOperands{TSelf}.ForMember"/>).</param>
    /// <param name="batches">The op's GEMM batches per member.</param>
    [GroupThreads(BlockedThreads * BlockedThreads, MinGroupsPerMultiprocessor = 2)]
    public static void Blocked128Kernel<TOperands>(TOperands all, int batches)
        where TOperands : struct, IMatrixOperands<TOperands> =>
        Blocked<TOperands, RegisterTile8x8>(all, batches, RegisterTile8x8.Rows, RegisterTile8x8.Depth);

    /// <summary>
    /// Variant 4 (register-blocked, 64 x 64 x 32, 4 x 4 per thread). Grid <see cref="Blocked64Grid"/>,
    /// group <see cref="BlockedGroup"/>; thread (tx, ty) owns rows ty*4.. and cols tx*4.. of the group's tile.
    /// Grid z = member * batches + batch.
    /// </summary>
    /// <param name="all">The operands and the output of member 0 (see <see cref="IMatrixOperands{TSelf}.ForMember"/>).</param>
    /// <param name="batches">The op's GEMM batches per member.</param>
    [GroupThreads(BlockedThreads * BlockedThreads, MinGroupsPerMultiprocessor = 2)]
    public static void Blocked64Kernel<TOperands>(TOperands all, int batches)
        where TOperands : struct, IMatrixOperands<TOperands> =>
        Blocked<TOperands, RegisterTile4x4>(all, batches, RegisterTile4x4.Rows, RegisterTile4x4.Depth);

    private static Index3D BlockedGrid(int rows, int cols, int batch, int edge) =>
        new((cols + edge - 1) / edge, (rows + edge - 1) / edge, batch);

    // The blocked loop; `perThread` (TM = TN) and `depth` (BK) are constants at every call, so
    // BM = BN = 16 * perThread (edge * depth = BlockedTileFloats) and every index below folds to shifts and adds.
    // Each thread loads BlockedTileFloats / 256 = 8 elements of each operand tile per K step.
    private static void Blocked<TOperands, TTile>(TOperands all, int batches, int perThread, int depth)
        where TOperands : struct, IMatrixOperands<TOperands>
        where TTile : struct, IRegisterTile<TTile>
    {
        int edge = BlockedThreads * perThread;
        var shared = SharedMemory.Allocate<Float4>(BlockedSharedFloats / 4);
        var floats = shared.Cast<float>();
        int member = Grid.IdxZ / batches, batch = Grid.IdxZ - member * batches;
        var operands = all.ForMember(member);
        int tx = Group.IdxX, ty = Group.IdxY, thread = ty * BlockedThreads + tx;
        int row0 = Grid.IdxY * edge, col0 = Grid.IdxX * edge;
        int depthTotal = operands.Depth, steps = (depthTotal + depth - 1) / depth;

        // Element e = thread + i * 256 (i = 0..7) of each tile; its (kk, row|col) follows the operand's
        // contiguous dimension, so consecutive threads read consecutive addresses (coalesced).
        TileShare shareA = TileShare.Of(operands.AAlongDepth, thread, edge, depth), shareB = TileShare.Of(!operands.BAlongCols, thread, edge, depth);

        // Step s fills buffer s % 2 with K step s and multiplies buffer (s - 1) % 2, the step before; the one
        // barrier per step both publishes the fill and frees the buffer the next step fills.
        var acc = default(TTile);
        for (var s = 0; s <= steps; s++)
        {
            if (s < steps)
            {
                var offset = (s & 1) * 2 * BlockedTileFloats;
                Fill(operands, floats, offset, offset + BlockedTileFloats, s * depth, batch, row0, col0, shareA, shareB, edge);
            }

            if (s > 0)
            {
                // Views from this thread's first row / column of the previous buffer's tiles (Float4s).
                var buffer = ((s - 1) & 1) * 2 * BlockedTileFloats;
                int fromA = (buffer + ty * perThread) / 4, fromB = (buffer + BlockedTileFloats + tx * perThread) / 4;
                acc = TTile.Step(acc, shared.SubView(fromA, BlockedSharedFloats / 4 - fromA), shared.SubView(fromB, BlockedSharedFloats / 4 - fromB));
            }

            Group.Barrier();
        }

        // Epilogue through shared memory: each pass stages 64 rows of the block tile (thread row ty's rows
        // ty * TM + pass * 4 .. + 3), then the 256 threads store them row by row, neighbours on neighbouring
        // columns (coalesced), with one bounds check and one Store per element.
        var stagedFloats = StagedRows * edge;
        for (var pass = 0; pass < perThread / 4; pass++)
        {
            var from = (ty * 4 * edge + tx * perThread) / 4;
            TTile.Stage(acc, shared.SubView(from, BlockedSharedFloats / 4 - from), pass);
            Group.Barrier();
            for (var e = thread; e < stagedFloats; e += BlockedThreads * BlockedThreads)
            {
                int staged = e / edge, col = col0 + e - staged * edge;
                var row = row0 + staged / 4 * perThread + pass * 4 + (staged & 3);
                if (row < operands.Rows && col < operands.Cols)
                {
                    operands.Store(operands.RowOffset(batch, row) + operands.ColOffset(batch, col), row, col, floats[e]);
                }
            }

            Group.Barrier();
        }
    }

    // This thread's 8 + 8 elements of the K step at k0 into the op(A) tile at `offsetA` and the op(B) tile at `offsetB`.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Fill<TOperands>(
        TOperands operands, ArrayView<float> tiles, int offsetA, int offsetB, int k0, int batch, int row0, int col0, TileShare shareA, TileShare shareB, int edge)
        where TOperands : struct, IMatrixOperands<TOperands>
    {
        // Load returns the element's shared index after setting its value (C# evaluates the index first).
        tiles[offsetA + Load(operands, true, shareA, 0, batch, row0, k0, edge, out var a0)] = a0;
        tiles[offsetA + Load(operands, true, shareA, 1, batch, row0, k0, edge, out var a1)] = a1;
        tiles[offsetA + Load(operands, true, shareA, 2, batch, row0, k0, edge, out var a2)] = a2;
        tiles[offsetA + Load(operands, true, shareA, 3, batch, row0, k0, edge, out var a3)] = a3;
        tiles[offsetA + Load(operands, true, shareA, 4, batch, row0, k0, edge, out var a4)] = a4;
        tiles[offsetA + Load(operands, true, shareA, 5, batch, row0, k0, edge, out var a5)] = a5;
        tiles[offsetA + Load(operands, true, shareA, 6, batch, row0, k0, edge, out var a6)] = a6;
        tiles[offsetA + Load(operands, true, shareA, 7, batch, row0, k0, edge, out var a7)] = a7;
        tiles[offsetB + Load(operands, false, shareB, 0, batch, col0, k0, edge, out var b0)] = b0;
        tiles[offsetB + Load(operands, false, shareB, 1, batch, col0, k0, edge, out var b1)] = b1;
        tiles[offsetB + Load(operands, false, shareB, 2, batch, col0, k0, edge, out var b2)] = b2;
        tiles[offsetB + Load(operands, false, shareB, 3, batch, col0, k0, edge, out var b3)] = b3;
        tiles[offsetB + Load(operands, false, shareB, 4, batch, col0, k0, edge, out var b4)] = b4;
        tiles[offsetB + Load(operands, false, shareB, 5, batch, col0, k0, edge, out var b5)] = b5;
        tiles[offsetB + Load(operands, false, shareB, 6, batch, col0, k0, edge, out var b6)] = b6;
        tiles[offsetB + Load(operands, false, shareB, 7, batch, col0, k0, edge, out var b7)] = b7;
    }

    // Element i (0..7) of this thread's share of a block tile (edge x BK of op(A), or BK x edge of op(B), rows|cols
    // from `first`, k from k0): reads it (0 outside the matrix) and returns its index in the k-major shared tile.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Load<TOperands>(
        TOperands operands, bool isA, TileShare share, int i, int batch, int first, int k0, int edge, out float value)
        where TOperands : struct, IMatrixOperands<TOperands>
    {
        int kk = share.Kk + i * share.KkStep, rc = share.Rc + i * share.RcStep;
        int k = k0 + kk, index = first + rc, depth = operands.Depth, extent = isA ? operands.Rows : operands.Cols;
        // Outside the matrix, read its last row|col / k instead (always in range) and keep 0: a load for every
        // element, no branch around it, so the compiler can share the address arithmetic between elements.
        int kIn = Math.Min(k, depth - 1), indexIn = Math.Min(index, extent - 1);
        var read = isA ? operands.A(batch, indexIn, kIn) : operands.B(batch, kIn, indexIn);
        value = k < depth && index < extent ? read : 0f;
        return kk * edge + rc;
    }

    // Which elements of one operand's block tile a thread loads: element i (0..7) at k offset Kk + i * KkStep and
    // row|col offset Rc + i * RcStep. `alongK`: the operand's memory runs along k, so consecutive threads take
    // consecutive k and the 256 threads cover 256 / BK rows|cols per element; otherwise consecutive rows|cols,
    // covering 256 / edge values of k. 256 is a multiple of BK and edge, so only the first element divides.
    private readonly struct TileShare(int kk, int rc, int kkStep, int rcStep)
    {
        public int Kk { get; } = kk;

        public int Rc { get; } = rc;

        public int KkStep { get; } = kkStep;

        public int RcStep { get; } = rcStep;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public static TileShare Of(bool alongK, int thread, int edge, int depth) => alongK
            ? new(thread % depth, thread / depth, 0, 256 / depth)
            : new(thread / edge, thread % edge, 256 / edge, 0);
    }
}
