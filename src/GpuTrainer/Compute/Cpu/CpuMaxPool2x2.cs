using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// The LeNet pooling window (2x2, stride 2, no padding) on eight windows at once: a row pair of 16 input
/// columns is split into even and odd columns, and the row-major first-maximum scan of <see cref="CpuPooling"/>
/// becomes three compare-and-selects. Rows need at least eight windows (rows of four to seven, such as LeNet's 5-wide
/// second pool, take the same steps four windows at a time in Vector128); the last group of a row overlaps the
/// previous one, which is harmless because both passes write (never add) the same values there.
/// </summary>
internal static unsafe class CpuMaxPool2x2
{
    /// <summary>Windows per vector step, and the least a row must have.</summary>
    public const int Windows = 8;

    // y[ow] = max of the window at rows (top, top + w), columns (2ow, 2ow + 1), for ow in [0, outW).
    public static void ForwardRow(float* top, int w, float* y, int outW)
    {
        for (var ow = 0; ; ow += Windows)
        {
            ow = Math.Min(ow, outW - Windows);
            Scan(top + 2 * ow, w, out var best, out _);
            best.Store(y + ow);
            if (ow == outW - Windows)
            {
                return;
            }
        }
    }

    // dx of the row pair = dy[ow] at each window's first maximum, zero at its other three cells; with `relu` (x is a
    // ReLU's output) also zero where that maximum is <= 0, as CpuElementwise.ReluBackward over dx would make it.
    public static void BackwardRow(float* top, int w, float* dy, float* dxTop, int outW, bool relu)
    {
        for (var ow = 0; ; ow += Windows)
        {
            ow = Math.Min(ow, outW - Windows);
            Scan(top + 2 * ow, w, out var best, out var cell);
            var g = Vector256.Load(dy + ow);
            if (relu)
            {
                g = Vector256.AndNot(g, Vector256.LessThanOrEqual(best, Vector256<float>.Zero));
            }

            StoreInterleaved(dxTop + 2 * ow, Route(g, cell, 0f), Route(g, cell, 1f));
            StoreInterleaved(dxTop + w + 2 * ow, Route(g, cell, 2f), Route(g, cell, 3f));
            if (ow == outW - Windows)
            {
                return;
            }
        }
    }

    // Eight windows: the first maximum in row-major order and its cell (0..3, as floats).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scan(float* top, int w, out Vector256<float> best, out Vector256<float> cell)
    {
        Deinterleave(top, out var topEven, out var topOdd);
        Deinterleave(top + w, out var bottomEven, out var bottomOdd);
        best = topEven;
        cell = Vector256<float>.Zero;
        Take(topOdd, 1f, ref best, ref cell);
        Take(bottomEven, 2f, ref best, ref cell);
        Take(bottomOdd, 3f, ref best, ref cell);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector256<float> value, float index, ref Vector256<float> best, ref Vector256<float> cell)
    {
        var wins = Vector256.GreaterThan(value, best);
        best = Vector256.ConditionalSelect(wins, value, best);
        cell = Vector256.ConditionalSelect(wins, Vector256.Create(index), cell);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Route(Vector256<float> g, Vector256<float> cell, float index) =>
        Vector256.ConditionalSelect(Vector256.Equals(cell, Vector256.Create(index)), g, Vector256<float>.Zero);

    // even = (x[0], x[2], .., x[14]), odd = (x[1], x[3], .., x[15])
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deinterleave(float* x, out Vector256<float> even, out Vector256<float> odd)
    {
        var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var low = Vector256.Shuffle(Vector256.Load(x), order);
        var high = Vector256.Shuffle(Vector256.Load(x + 8), order);
        even = Vector256.Create(low.GetLower(), high.GetLower());
        odd = Vector256.Create(low.GetUpper(), high.GetUpper());
    }

    // x[0..16) = (even[0], odd[0], even[1], odd[1], ..)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(float* x, Vector256<float> even, Vector256<float> odd)
    {
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        Vector256.Shuffle(Vector256.Create(even.GetLower(), odd.GetLower()), order).Store(x);
        Vector256.Shuffle(Vector256.Create(even.GetUpper(), odd.GetUpper()), order).Store(x + 8);
    }

    /// <summary>Windows per step of the narrow rows (4 to 7 windows: LeNet's second pool, 5 wide), and the least they need.</summary>
    public const int NarrowWindows = 4;

    // ForwardRow for rows of 4 to 7 windows, four windows (Vector128) at a time.
    public static void ForwardRowNarrow(float* top, int w, float* y, int outW)
    {
        for (var ow = 0; ; ow += NarrowWindows)
        {
            ow = Math.Min(ow, outW - NarrowWindows);
            ScanNarrow(top + 2 * ow, w, out var best, out _);
            best.Store(y + ow);
            if (ow == outW - NarrowWindows)
            {
                return;
            }
        }
    }

    // BackwardRow for rows of 4 to 7 windows; the winner gets 0 + dy, as the scalar pass that adds into a cleared dx does.
    public static void BackwardRowNarrow(float* top, int w, float* dy, float* dxTop, int outW, bool relu)
    {
        for (var ow = 0; ; ow += NarrowWindows)
        {
            ow = Math.Min(ow, outW - NarrowWindows);
            ScanNarrow(top + 2 * ow, w, out var best, out var cell);
            var g = Vector128.Load(dy + ow);
            if (relu)
            {
                g = Vector128.AndNot(g, Vector128.LessThanOrEqual(best, Vector128<float>.Zero));
            }

            StoreInterleavedNarrow(dxTop + 2 * ow, RouteNarrow(g, cell, 0f), RouteNarrow(g, cell, 1f));
            StoreInterleavedNarrow(dxTop + w + 2 * ow, RouteNarrow(g, cell, 2f), RouteNarrow(g, cell, 3f));
            if (ow == outW - NarrowWindows)
            {
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScanNarrow(float* top, int w, out Vector128<float> best, out Vector128<float> cell)
    {
        DeinterleaveNarrow(top, out var topEven, out var topOdd);
        DeinterleaveNarrow(top + w, out var bottomEven, out var bottomOdd);
        best = topEven;
        cell = Vector128<float>.Zero;
        Take(topOdd, 1f, ref best, ref cell);
        Take(bottomEven, 2f, ref best, ref cell);
        Take(bottomOdd, 3f, ref best, ref cell);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector128<float> value, float index, ref Vector128<float> best, ref Vector128<float> cell)
    {
        var wins = Vector128.GreaterThan(value, best);
        best = Vector128.ConditionalSelect(wins, value, best);
        cell = Vector128.ConditionalSelect(wins, Vector128.Create(index), cell);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> RouteNarrow(Vector128<float> g, Vector128<float> cell, float index) =>
        Vector128.ConditionalSelect(Vector128.Equals(cell, Vector128.Create(index)), g, Vector128<float>.Zero) + Vector128<float>.Zero;

    // even = (x[0], x[2], x[4], x[6]), odd = (x[1], x[3], x[5], x[7])
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DeinterleaveNarrow(float* x, out Vector128<float> even, out Vector128<float> odd)
    {
        var pairs = Vector256.Shuffle(Vector256.Load(x), Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7));
        even = pairs.GetLower();
        odd = pairs.GetUpper();
    }

    // x[0..8) = (even[0], odd[0], even[1], odd[1], ..)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleavedNarrow(float* x, Vector128<float> even, Vector128<float> odd) =>
        Vector256.Shuffle(Vector256.Create(even, odd), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).Store(x);
}
