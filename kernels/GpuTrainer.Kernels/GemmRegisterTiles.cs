// Register tiles of the blocked GEMM (Gemm.cs, variants 3 and 4): each thread's TM x TN outputs held in
// registers as plain struct fields, and the hand-unrolled arithmetic on them. ILGPU 1.5.3 does not unroll
// loops, and a loop index into a local array would put the accumulators in local memory; fields named at
// compile time stay in registers. Written out in full: mechanically regular, so read one row and the rest follow.
using System.Runtime.CompilerServices;
using ILGPU;

namespace GpuTrainer.Kernels;

/// <summary>Four floats loaded or stored together (LDS.128 / LDG.E.128 where the address is 16-byte aligned).</summary>
/// <param name="X0">Element 0.</param>
/// <param name="X1">Element 1.</param>
/// <param name="X2">Element 2.</param>
/// <param name="X3">Element 3.</param>
public readonly record struct Float4(float X0, float X1, float X2, float X3);

/// <summary>One thread's register tile of the blocked GEMM (implemented by readonly structs; ILGPU specialises each).</summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
public interface IRegisterTile<TSelf>
    where TSelf : struct, IRegisterTile<TSelf>
{
    /// <summary>
    /// <paramref name="tile"/> plus one K step of op(A) x op(B) read from the shared tiles (see the implementations).
    /// Static and by value: an instance call would take the accumulators' address and put them in local memory.
    /// </summary>
    /// <param name="tile">The accumulators so far.</param>
    /// <param name="rowsA">The k-major shared tile of op(A) as Float4s, from this thread's first row on.</param>
    /// <param name="colsB">The k-major shared tile of op(B) as Float4s, from this thread's first column on.</param>
    static abstract TSelf Step(TSelf tile, ArrayView<Float4> rowsA, ArrayView<Float4> colsB);

    /// <summary>Stores the in-range part of <paramref name="tile"/> at C[row0.., col0..].</summary>
    /// <typeparam name="TOperands">Where C lives.</typeparam>
    /// <param name="tile">The finished accumulators.</param>
    /// <param name="operands">The operands and the output.</param>
    /// <param name="batch">GEMM batch.</param>
    /// <param name="row0">First C row of this thread.</param>
    /// <param name="col0">First C column of this thread.</param>
    static abstract void Store<TOperands>(TSelf tile, TOperands operands, int batch, int row0, int col0)
        where TOperands : struct, IMatrixOperands;
}

/// <summary>
/// 8 x 8 accumulators of one thread (C rows r0..r0+7, cols c0..c0+7) for a K step of 8:
/// per k, 4 x LDS.128 from the shared tiles feed 64 FFMA (16 FMAs per shared load).
/// </summary>
public readonly struct RegisterTile8x8 : IRegisterTile<RegisterTile8x8>
{
    /// <summary>Rows of C per thread (TM).</summary>
    public const int Rows = 8;

    /// <summary>Columns of C per thread (TN).</summary>
    public const int Cols = 8;

    /// <summary>K step (BK): depth of one shared tile.</summary>
    public const int Depth = 8;

    private readonly float _c00, _c01, _c02, _c03, _c04, _c05, _c06, _c07;
    private readonly float _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17;
    private readonly float _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27;
    private readonly float _c30, _c31, _c32, _c33, _c34, _c35, _c36, _c37;
    private readonly float _c40, _c41, _c42, _c43, _c44, _c45, _c46, _c47;
    private readonly float _c50, _c51, _c52, _c53, _c54, _c55, _c56, _c57;
    private readonly float _c60, _c61, _c62, _c63, _c64, _c65, _c66, _c67;
    private readonly float _c70, _c71, _c72, _c73, _c74, _c75, _c76, _c77;

    private RegisterTile8x8(float c00, float c01, float c02, float c03, float c04, float c05, float c06, float c07, float c10, float c11, float c12, float c13, float c14, float c15, float c16, float c17, float c20, float c21, float c22, float c23, float c24, float c25, float c26, float c27, float c30, float c31, float c32, float c33, float c34, float c35, float c36, float c37, float c40, float c41, float c42, float c43, float c44, float c45, float c46, float c47, float c50, float c51, float c52, float c53, float c54, float c55, float c56, float c57, float c60, float c61, float c62, float c63, float c64, float c65, float c66, float c67, float c70, float c71, float c72, float c73, float c74, float c75, float c76, float c77)
    {
        _c00 = c00; _c01 = c01; _c02 = c02; _c03 = c03; _c04 = c04; _c05 = c05; _c06 = c06; _c07 = c07;
        _c10 = c10; _c11 = c11; _c12 = c12; _c13 = c13; _c14 = c14; _c15 = c15; _c16 = c16; _c17 = c17;
        _c20 = c20; _c21 = c21; _c22 = c22; _c23 = c23; _c24 = c24; _c25 = c25; _c26 = c26; _c27 = c27;
        _c30 = c30; _c31 = c31; _c32 = c32; _c33 = c33; _c34 = c34; _c35 = c35; _c36 = c36; _c37 = c37;
        _c40 = c40; _c41 = c41; _c42 = c42; _c43 = c43; _c44 = c44; _c45 = c45; _c46 = c46; _c47 = c47;
        _c50 = c50; _c51 = c51; _c52 = c52; _c53 = c53; _c54 = c54; _c55 = c55; _c56 = c56; _c57 = c57;
        _c60 = c60; _c61 = c61; _c62 = c62; _c63 = c63; _c64 = c64; _c65 = c65; _c66 = c66; _c67 = c67;
        _c70 = c70; _c71 = c71; _c72 = c72; _c73 = c73; _c74 = c74; _c75 = c75; _c76 = c76; _c77 = c77;
    }

    /// <summary>Float4s per k in the shared tiles: BM / 4 = BN / 4 (16 threads x 8 outputs / 4).</summary>
    private const int Stride = 16 * 8 / 4;

    /// <summary>
    /// <paramref name="tile"/> plus op(A) x op(B) over one K step: the shared tiles hold op(A) k-major (8 x BM floats,
    /// tileA[kk * BM + r]) and op(B) k-major (8 x BN, tileB[kk * BN + c]); the views start at this thread's
    /// first row and column, so every index below is a constant (folded into the LDS.128 offsets).
    /// </summary>
    /// <param name="tile">The accumulators so far.</param>
    /// <param name="rowsA">Shared tile of op(A) as Float4s from this thread's row r0 on (offset r0 / 4).</param>
    /// <param name="colsB">Shared tile of op(B) as Float4s from this thread's column c0 on (offset c0 / 4).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RegisterTile8x8 Step(RegisterTile8x8 tile, ArrayView<Float4> rowsA, ArrayView<Float4> colsB)
    {
        var t = tile;
        t = Fma(t, rowsA, colsB, 0 * Stride);
        t = Fma(t, rowsA, colsB, 1 * Stride);
        t = Fma(t, rowsA, colsB, 2 * Stride);
        t = Fma(t, rowsA, colsB, 3 * Stride);
        t = Fma(t, rowsA, colsB, 4 * Stride);
        t = Fma(t, rowsA, colsB, 5 * Stride);
        t = Fma(t, rowsA, colsB, 6 * Stride);
        t = Fma(t, rowsA, colsB, 7 * Stride);
        return t;
    }

    /// <summary><paramref name="t"/> after one k: t[r, c] + a[r] * b[c].</summary>
    /// <param name="t">The accumulators so far.</param>
    /// <param name="rowsA">This thread's rows of the op(A) tile.</param>
    /// <param name="colsB">This thread's columns of the op(B) tile.</param>
    /// <param name="k">Float4 index of k's a[0..7] and b[0..7]: kk * Stride.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RegisterTile8x8 Fma(RegisterTile8x8 t, ArrayView<Float4> rowsA, ArrayView<Float4> colsB, int k)
    {
        var a0 = rowsA[k + 0];
        var a1 = rowsA[k + 1];
        var b0 = colsB[k + 0];
        var b1 = colsB[k + 1];
        return new(
            t._c00 + a0.X0 * b0.X0, t._c01 + a0.X0 * b0.X1, t._c02 + a0.X0 * b0.X2, t._c03 + a0.X0 * b0.X3, t._c04 + a0.X0 * b1.X0, t._c05 + a0.X0 * b1.X1, t._c06 + a0.X0 * b1.X2, t._c07 + a0.X0 * b1.X3,
            t._c10 + a0.X1 * b0.X0, t._c11 + a0.X1 * b0.X1, t._c12 + a0.X1 * b0.X2, t._c13 + a0.X1 * b0.X3, t._c14 + a0.X1 * b1.X0, t._c15 + a0.X1 * b1.X1, t._c16 + a0.X1 * b1.X2, t._c17 + a0.X1 * b1.X3,
            t._c20 + a0.X2 * b0.X0, t._c21 + a0.X2 * b0.X1, t._c22 + a0.X2 * b0.X2, t._c23 + a0.X2 * b0.X3, t._c24 + a0.X2 * b1.X0, t._c25 + a0.X2 * b1.X1, t._c26 + a0.X2 * b1.X2, t._c27 + a0.X2 * b1.X3,
            t._c30 + a0.X3 * b0.X0, t._c31 + a0.X3 * b0.X1, t._c32 + a0.X3 * b0.X2, t._c33 + a0.X3 * b0.X3, t._c34 + a0.X3 * b1.X0, t._c35 + a0.X3 * b1.X1, t._c36 + a0.X3 * b1.X2, t._c37 + a0.X3 * b1.X3,
            t._c40 + a1.X0 * b0.X0, t._c41 + a1.X0 * b0.X1, t._c42 + a1.X0 * b0.X2, t._c43 + a1.X0 * b0.X3, t._c44 + a1.X0 * b1.X0, t._c45 + a1.X0 * b1.X1, t._c46 + a1.X0 * b1.X2, t._c47 + a1.X0 * b1.X3,
            t._c50 + a1.X1 * b0.X0, t._c51 + a1.X1 * b0.X1, t._c52 + a1.X1 * b0.X2, t._c53 + a1.X1 * b0.X3, t._c54 + a1.X1 * b1.X0, t._c55 + a1.X1 * b1.X1, t._c56 + a1.X1 * b1.X2, t._c57 + a1.X1 * b1.X3,
            t._c60 + a1.X2 * b0.X0, t._c61 + a1.X2 * b0.X1, t._c62 + a1.X2 * b0.X2, t._c63 + a1.X2 * b0.X3, t._c64 + a1.X2 * b1.X0, t._c65 + a1.X2 * b1.X1, t._c66 + a1.X2 * b1.X2, t._c67 + a1.X2 * b1.X3,
            t._c70 + a1.X3 * b0.X0, t._c71 + a1.X3 * b0.X1, t._c72 + a1.X3 * b0.X2, t._c73 + a1.X3 * b0.X3, t._c74 + a1.X3 * b1.X0, t._c75 + a1.X3 * b1.X1, t._c76 + a1.X3 * b1.X2, t._c77 + a1.X3 * b1.X3);
    }

    /// <summary>Stores the in-range part of <paramref name="tile"/>: C[row0 + r, col0 + c] for r &lt; 8, c &lt; 8.</summary>
    /// <typeparam name="TOperands">Where C lives.</typeparam>
    /// <param name="tile">The finished accumulators.</param>
    /// <param name="operands">The operands and the output.</param>
    /// <param name="batch">GEMM batch.</param>
    /// <param name="row0">First C row of this thread.</param>
    /// <param name="col0">First C column of this thread.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TOperands>(RegisterTile8x8 tile, TOperands operands, int batch, int row0, int col0)
        where TOperands : struct, IMatrixOperands
    {
        int rowsLeft = operands.Rows - row0, colsLeft = operands.Cols - col0;
        // Offsets of rows/columns outside C are never used (their stores are skipped).
        long r0 = operands.RowOffset(batch, row0 + 0), r1 = operands.RowOffset(batch, row0 + 1), r2 = operands.RowOffset(batch, row0 + 2), r3 = operands.RowOffset(batch, row0 + 3), r4 = operands.RowOffset(batch, row0 + 4), r5 = operands.RowOffset(batch, row0 + 5), r6 = operands.RowOffset(batch, row0 + 6), r7 = operands.RowOffset(batch, row0 + 7);
        long o0 = operands.ColOffset(batch, col0 + 0), o1 = operands.ColOffset(batch, col0 + 1), o2 = operands.ColOffset(batch, col0 + 2), o3 = operands.ColOffset(batch, col0 + 3), o4 = operands.ColOffset(batch, col0 + 4), o5 = operands.ColOffset(batch, col0 + 5), o6 = operands.ColOffset(batch, col0 + 6), o7 = operands.ColOffset(batch, col0 + 7);
        if (0 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r0 + o0, tile._c00); }
            if (1 < colsLeft) { operands.Store(r0 + o1, tile._c01); }
            if (2 < colsLeft) { operands.Store(r0 + o2, tile._c02); }
            if (3 < colsLeft) { operands.Store(r0 + o3, tile._c03); }
            if (4 < colsLeft) { operands.Store(r0 + o4, tile._c04); }
            if (5 < colsLeft) { operands.Store(r0 + o5, tile._c05); }
            if (6 < colsLeft) { operands.Store(r0 + o6, tile._c06); }
            if (7 < colsLeft) { operands.Store(r0 + o7, tile._c07); }
        }

        if (1 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r1 + o0, tile._c10); }
            if (1 < colsLeft) { operands.Store(r1 + o1, tile._c11); }
            if (2 < colsLeft) { operands.Store(r1 + o2, tile._c12); }
            if (3 < colsLeft) { operands.Store(r1 + o3, tile._c13); }
            if (4 < colsLeft) { operands.Store(r1 + o4, tile._c14); }
            if (5 < colsLeft) { operands.Store(r1 + o5, tile._c15); }
            if (6 < colsLeft) { operands.Store(r1 + o6, tile._c16); }
            if (7 < colsLeft) { operands.Store(r1 + o7, tile._c17); }
        }

        if (2 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r2 + o0, tile._c20); }
            if (1 < colsLeft) { operands.Store(r2 + o1, tile._c21); }
            if (2 < colsLeft) { operands.Store(r2 + o2, tile._c22); }
            if (3 < colsLeft) { operands.Store(r2 + o3, tile._c23); }
            if (4 < colsLeft) { operands.Store(r2 + o4, tile._c24); }
            if (5 < colsLeft) { operands.Store(r2 + o5, tile._c25); }
            if (6 < colsLeft) { operands.Store(r2 + o6, tile._c26); }
            if (7 < colsLeft) { operands.Store(r2 + o7, tile._c27); }
        }

        if (3 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r3 + o0, tile._c30); }
            if (1 < colsLeft) { operands.Store(r3 + o1, tile._c31); }
            if (2 < colsLeft) { operands.Store(r3 + o2, tile._c32); }
            if (3 < colsLeft) { operands.Store(r3 + o3, tile._c33); }
            if (4 < colsLeft) { operands.Store(r3 + o4, tile._c34); }
            if (5 < colsLeft) { operands.Store(r3 + o5, tile._c35); }
            if (6 < colsLeft) { operands.Store(r3 + o6, tile._c36); }
            if (7 < colsLeft) { operands.Store(r3 + o7, tile._c37); }
        }

        if (4 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r4 + o0, tile._c40); }
            if (1 < colsLeft) { operands.Store(r4 + o1, tile._c41); }
            if (2 < colsLeft) { operands.Store(r4 + o2, tile._c42); }
            if (3 < colsLeft) { operands.Store(r4 + o3, tile._c43); }
            if (4 < colsLeft) { operands.Store(r4 + o4, tile._c44); }
            if (5 < colsLeft) { operands.Store(r4 + o5, tile._c45); }
            if (6 < colsLeft) { operands.Store(r4 + o6, tile._c46); }
            if (7 < colsLeft) { operands.Store(r4 + o7, tile._c47); }
        }

        if (5 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r5 + o0, tile._c50); }
            if (1 < colsLeft) { operands.Store(r5 + o1, tile._c51); }
            if (2 < colsLeft) { operands.Store(r5 + o2, tile._c52); }
            if (3 < colsLeft) { operands.Store(r5 + o3, tile._c53); }
            if (4 < colsLeft) { operands.Store(r5 + o4, tile._c54); }
            if (5 < colsLeft) { operands.Store(r5 + o5, tile._c55); }
            if (6 < colsLeft) { operands.Store(r5 + o6, tile._c56); }
            if (7 < colsLeft) { operands.Store(r5 + o7, tile._c57); }
        }

        if (6 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r6 + o0, tile._c60); }
            if (1 < colsLeft) { operands.Store(r6 + o1, tile._c61); }
            if (2 < colsLeft) { operands.Store(r6 + o2, tile._c62); }
            if (3 < colsLeft) { operands.Store(r6 + o3, tile._c63); }
            if (4 < colsLeft) { operands.Store(r6 + o4, tile._c64); }
            if (5 < colsLeft) { operands.Store(r6 + o5, tile._c65); }
            if (6 < colsLeft) { operands.Store(r6 + o6, tile._c66); }
            if (7 < colsLeft) { operands.Store(r6 + o7, tile._c67); }
        }

        if (7 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r7 + o0, tile._c70); }
            if (1 < colsLeft) { operands.Store(r7 + o1, tile._c71); }
            if (2 < colsLeft) { operands.Store(r7 + o2, tile._c72); }
            if (3 < colsLeft) { operands.Store(r7 + o3, tile._c73); }
            if (4 < colsLeft) { operands.Store(r7 + o4, tile._c74); }
            if (5 < colsLeft) { operands.Store(r7 + o5, tile._c75); }
            if (6 < colsLeft) { operands.Store(r7 + o6, tile._c76); }
            if (7 < colsLeft) { operands.Store(r7 + o7, tile._c77); }
        }
    }
}

/// <summary>
/// 4 x 4 accumulators of one thread (C rows r0..r0+3, cols c0..c0+3) for a K step of 16:
/// per k, 2 x LDS.128 from the shared tiles feed 16 FFMA (8 FMAs per shared load).
/// </summary>
public readonly struct RegisterTile4x4 : IRegisterTile<RegisterTile4x4>
{
    /// <summary>Rows of C per thread (TM).</summary>
    public const int Rows = 4;

    /// <summary>Columns of C per thread (TN).</summary>
    public const int Cols = 4;

    /// <summary>K step (BK): depth of one shared tile.</summary>
    public const int Depth = 16;

    private readonly float _c00, _c01, _c02, _c03;
    private readonly float _c10, _c11, _c12, _c13;
    private readonly float _c20, _c21, _c22, _c23;
    private readonly float _c30, _c31, _c32, _c33;

    private RegisterTile4x4(float c00, float c01, float c02, float c03, float c10, float c11, float c12, float c13, float c20, float c21, float c22, float c23, float c30, float c31, float c32, float c33)
    {
        _c00 = c00; _c01 = c01; _c02 = c02; _c03 = c03;
        _c10 = c10; _c11 = c11; _c12 = c12; _c13 = c13;
        _c20 = c20; _c21 = c21; _c22 = c22; _c23 = c23;
        _c30 = c30; _c31 = c31; _c32 = c32; _c33 = c33;
    }

    /// <summary>Float4s per k in the shared tiles: BM / 4 = BN / 4 (16 threads x 4 outputs / 4).</summary>
    private const int Stride = 16 * 4 / 4;

    /// <summary>
    /// <paramref name="tile"/> plus op(A) x op(B) over one K step: the shared tiles hold op(A) k-major (16 x BM floats,
    /// tileA[kk * BM + r]) and op(B) k-major (16 x BN, tileB[kk * BN + c]); the views start at this thread's
    /// first row and column, so every index below is a constant (folded into the LDS.128 offsets).
    /// </summary>
    /// <param name="tile">The accumulators so far.</param>
    /// <param name="rowsA">Shared tile of op(A) as Float4s from this thread's row r0 on (offset r0 / 4).</param>
    /// <param name="colsB">Shared tile of op(B) as Float4s from this thread's column c0 on (offset c0 / 4).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RegisterTile4x4 Step(RegisterTile4x4 tile, ArrayView<Float4> rowsA, ArrayView<Float4> colsB)
    {
        var t = tile;
        t = Fma(t, rowsA, colsB, 0 * Stride);
        t = Fma(t, rowsA, colsB, 1 * Stride);
        t = Fma(t, rowsA, colsB, 2 * Stride);
        t = Fma(t, rowsA, colsB, 3 * Stride);
        t = Fma(t, rowsA, colsB, 4 * Stride);
        t = Fma(t, rowsA, colsB, 5 * Stride);
        t = Fma(t, rowsA, colsB, 6 * Stride);
        t = Fma(t, rowsA, colsB, 7 * Stride);
        t = Fma(t, rowsA, colsB, 8 * Stride);
        t = Fma(t, rowsA, colsB, 9 * Stride);
        t = Fma(t, rowsA, colsB, 10 * Stride);
        t = Fma(t, rowsA, colsB, 11 * Stride);
        t = Fma(t, rowsA, colsB, 12 * Stride);
        t = Fma(t, rowsA, colsB, 13 * Stride);
        t = Fma(t, rowsA, colsB, 14 * Stride);
        t = Fma(t, rowsA, colsB, 15 * Stride);
        return t;
    }

    /// <summary><paramref name="t"/> after one k: t[r, c] + a[r] * b[c].</summary>
    /// <param name="t">The accumulators so far.</param>
    /// <param name="rowsA">This thread's rows of the op(A) tile.</param>
    /// <param name="colsB">This thread's columns of the op(B) tile.</param>
    /// <param name="k">Float4 index of k's a[0..3] and b[0..3]: kk * Stride.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RegisterTile4x4 Fma(RegisterTile4x4 t, ArrayView<Float4> rowsA, ArrayView<Float4> colsB, int k)
    {
        var a0 = rowsA[k + 0];
        var b0 = colsB[k + 0];
        return new(
            t._c00 + a0.X0 * b0.X0, t._c01 + a0.X0 * b0.X1, t._c02 + a0.X0 * b0.X2, t._c03 + a0.X0 * b0.X3,
            t._c10 + a0.X1 * b0.X0, t._c11 + a0.X1 * b0.X1, t._c12 + a0.X1 * b0.X2, t._c13 + a0.X1 * b0.X3,
            t._c20 + a0.X2 * b0.X0, t._c21 + a0.X2 * b0.X1, t._c22 + a0.X2 * b0.X2, t._c23 + a0.X2 * b0.X3,
            t._c30 + a0.X3 * b0.X0, t._c31 + a0.X3 * b0.X1, t._c32 + a0.X3 * b0.X2, t._c33 + a0.X3 * b0.X3);
    }

    /// <summary>Stores the in-range part of <paramref name="tile"/>: C[row0 + r, col0 + c] for r &lt; 4, c &lt; 4.</summary>
    /// <typeparam name="TOperands">Where C lives.</typeparam>
    /// <param name="tile">The finished accumulators.</param>
    /// <param name="operands">The operands and the output.</param>
    /// <param name="batch">GEMM batch.</param>
    /// <param name="row0">First C row of this thread.</param>
    /// <param name="col0">First C column of this thread.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TOperands>(RegisterTile4x4 tile, TOperands operands, int batch, int row0, int col0)
        where TOperands : struct, IMatrixOperands
    {
        int rowsLeft = operands.Rows - row0, colsLeft = operands.Cols - col0;
        // Offsets of rows/columns outside C are never used (their stores are skipped).
        long r0 = operands.RowOffset(batch, row0 + 0), r1 = operands.RowOffset(batch, row0 + 1), r2 = operands.RowOffset(batch, row0 + 2), r3 = operands.RowOffset(batch, row0 + 3);
        long o0 = operands.ColOffset(batch, col0 + 0), o1 = operands.ColOffset(batch, col0 + 1), o2 = operands.ColOffset(batch, col0 + 2), o3 = operands.ColOffset(batch, col0 + 3);
        if (0 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r0 + o0, tile._c00); }
            if (1 < colsLeft) { operands.Store(r0 + o1, tile._c01); }
            if (2 < colsLeft) { operands.Store(r0 + o2, tile._c02); }
            if (3 < colsLeft) { operands.Store(r0 + o3, tile._c03); }
        }

        if (1 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r1 + o0, tile._c10); }
            if (1 < colsLeft) { operands.Store(r1 + o1, tile._c11); }
            if (2 < colsLeft) { operands.Store(r1 + o2, tile._c12); }
            if (3 < colsLeft) { operands.Store(r1 + o3, tile._c13); }
        }

        if (2 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r2 + o0, tile._c20); }
            if (1 < colsLeft) { operands.Store(r2 + o1, tile._c21); }
            if (2 < colsLeft) { operands.Store(r2 + o2, tile._c22); }
            if (3 < colsLeft) { operands.Store(r2 + o3, tile._c23); }
        }

        if (3 < rowsLeft)
        {
            if (0 < colsLeft) { operands.Store(r3 + o0, tile._c30); }
            if (1 < colsLeft) { operands.Store(r3 + o1, tile._c31); }
            if (2 < colsLeft) { operands.Store(r3 + o2, tile._c32); }
            if (3 < colsLeft) { operands.Store(r3 + o3, tile._c33); }
        }
    }
}
