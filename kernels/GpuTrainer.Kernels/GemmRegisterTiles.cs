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

    /// <summary>
    /// Writes rows <c>pass * 4 .. pass * 4 + 3</c> of <paramref name="tile"/> into the epilogue's staging tile,
    /// which holds 64 rows of the block tile: staged row <c>ty * 4 + r</c> is the thread's row <c>pass * 4 + r</c>.
    /// </summary>
    /// <param name="tile">The finished accumulators.</param>
    /// <param name="staged">The staging tile as Float4s from this thread's first element on: (ty * 4 * BN + tx * TN) / 4.</param>
    /// <param name="pass">0 .. TM / 4 - 1.</param>
    static abstract void Stage(TSelf tile, ArrayView<Float4> staged, int pass);
}

/// <summary>
/// 8 x 8 accumulators of one thread (C rows r0..r0+7, cols c0..c0+7) for a K step of 16:
/// per k, 4 x LDS.128 from the shared tiles feed 64 FFMA (16 FMAs per shared load).
/// </summary>
public readonly struct RegisterTile8x8 : IRegisterTile<RegisterTile8x8>
{
    /// <summary>Rows of C per thread (TM).</summary>
    public const int Rows = 8;

    /// <summary>Columns of C per thread (TN).</summary>
    public const int Cols = 8;

    /// <summary>K step (BK): depth of one shared tile.</summary>
    public const int Depth = 16;

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
    /// <paramref name="tile"/> plus op(A) x op(B) over one K step: the shared tiles hold op(A) k-major (16 x BM floats,
    /// tileA[kk * BM + r]) and op(B) k-major (16 x BN, tileB[kk * BN + c]); the views start at this thread's
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

    /// <summary>Float4s per staged row of the epilogue: BN / 4.</summary>
    private const int StagedRow = 16 * 8 / 4;

    /// <summary>Rows pass*4..pass*4+3 of <paramref name="tile"/> into the staging tile (see <see cref="IRegisterTile{TSelf}.Stage"/>).</summary>
    /// <param name="tile">The finished accumulators.</param>
    /// <param name="staged">Staging tile as Float4s from this thread's first element on.</param>
    /// <param name="pass">0 (rows 0..3) or 1 (rows 4..7).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Stage(RegisterTile8x8 tile, ArrayView<Float4> staged, int pass)
    {
        var t = tile;
        if (pass == 0)
        {
            staged[0 * StagedRow + 0] = new(t._c00, t._c01, t._c02, t._c03);
            staged[0 * StagedRow + 1] = new(t._c04, t._c05, t._c06, t._c07);
            staged[1 * StagedRow + 0] = new(t._c10, t._c11, t._c12, t._c13);
            staged[1 * StagedRow + 1] = new(t._c14, t._c15, t._c16, t._c17);
            staged[2 * StagedRow + 0] = new(t._c20, t._c21, t._c22, t._c23);
            staged[2 * StagedRow + 1] = new(t._c24, t._c25, t._c26, t._c27);
            staged[3 * StagedRow + 0] = new(t._c30, t._c31, t._c32, t._c33);
            staged[3 * StagedRow + 1] = new(t._c34, t._c35, t._c36, t._c37);
        }
        else
        {
            staged[0 * StagedRow + 0] = new(t._c40, t._c41, t._c42, t._c43);
            staged[0 * StagedRow + 1] = new(t._c44, t._c45, t._c46, t._c47);
            staged[1 * StagedRow + 0] = new(t._c50, t._c51, t._c52, t._c53);
            staged[1 * StagedRow + 1] = new(t._c54, t._c55, t._c56, t._c57);
            staged[2 * StagedRow + 0] = new(t._c60, t._c61, t._c62, t._c63);
            staged[2 * StagedRow + 1] = new(t._c64, t._c65, t._c66, t._c67);
            staged[3 * StagedRow + 0] = new(t._c70, t._c71, t._c72, t._c73);
            staged[3 * StagedRow + 1] = new(t._c74, t._c75, t._c76, t._c77);
        }
    }
}

/// <summary>
/// 4 x 4 accumulators of one thread (C rows r0..r0+3, cols c0..c0+3) for a K step of 32:
/// per k, 2 x LDS.128 from the shared tiles feed 16 FFMA (8 FMAs per shared load).
/// </summary>
public readonly struct RegisterTile4x4 : IRegisterTile<RegisterTile4x4>
{
    /// <summary>Rows of C per thread (TM).</summary>
    public const int Rows = 4;

    /// <summary>Columns of C per thread (TN).</summary>
    public const int Cols = 4;

    /// <summary>K step (BK): depth of one shared tile.</summary>
    public const int Depth = 32;

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
    /// <paramref name="tile"/> plus op(A) x op(B) over one K step: the shared tiles hold op(A) k-major (32 x BM floats,
    /// tileA[kk * BM + r]) and op(B) k-major (32 x BN, tileB[kk * BN + c]); the views start at this thread's
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
        t = Fma(t, rowsA, colsB, 16 * Stride);
        t = Fma(t, rowsA, colsB, 17 * Stride);
        t = Fma(t, rowsA, colsB, 18 * Stride);
        t = Fma(t, rowsA, colsB, 19 * Stride);
        t = Fma(t, rowsA, colsB, 20 * Stride);
        t = Fma(t, rowsA, colsB, 21 * Stride);
        t = Fma(t, rowsA, colsB, 22 * Stride);
        t = Fma(t, rowsA, colsB, 23 * Stride);
        t = Fma(t, rowsA, colsB, 24 * Stride);
        t = Fma(t, rowsA, colsB, 25 * Stride);
        t = Fma(t, rowsA, colsB, 26 * Stride);
        t = Fma(t, rowsA, colsB, 27 * Stride);
        t = Fma(t, rowsA, colsB, 28 * Stride);
        t = Fma(t, rowsA, colsB, 29 * Stride);
        t = Fma(t, rowsA, colsB, 30 * Stride);
        t = Fma(t, rowsA, colsB, 31 * Stride);
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

    /// <summary>Float4s per staged row of the epilogue: BN / 4.</summary>
    private const int StagedRow = 16 * 4 / 4;

    /// <summary>All 4 rows of <paramref name="tile"/> into the staging tile (see <see cref="IRegisterTile{TSelf}.Stage"/>).</summary>
    /// <param name="tile">The finished accumulators.</param>
    /// <param name="staged">Staging tile as Float4s from this thread's first element on.</param>
    /// <param name="pass">Always 0: TM = 4 needs one pass.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Stage(RegisterTile4x4 tile, ArrayView<Float4> staged, int pass)
    {
        var t = tile;
        staged[0 * StagedRow] = new(t._c00, t._c01, t._c02, t._c03);
        staged[1 * StagedRow] = new(t._c10, t._c11, t._c12, t._c13);
        staged[2 * StagedRow] = new(t._c20, t._c21, t._c22, t._c23);
        staged[3 * StagedRow] = new(t._c30, t._c31, t._c32, t._c33);
    }
}
