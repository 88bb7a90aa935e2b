using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution backward-weight, variant 4: a pass over the output gradient that skips its zeros, for the shapes of
/// variant 3 (<see cref="CpuConvWeightRows"/>) whose every output pixel reads at most <see cref="Rows"/> input rows of at
/// most 8 taps (C*KH &lt;= 5, KW &lt;= 8: LeNet-5's conv1 on one-channel images). Behind a max-pool about three quarters
/// of dy are zeros (only a window's maximum gets a gradient, and none where the ReLU cut it: 23% nonzero in a LeNet-5
/// step), on which variant 3's dense dot products spend most of their work. Variant 3's chunks ask this one first
/// (<see cref="TryChunk"/>): a chunk of images counts its nonzero dy and takes this variant only where they are at most
/// a third.
/// dW[oc, c, kh, kw] = sum over images n and output pixels (oh, ow) with dy[n, oc, oh, ow] != 0 of
/// dy[n, oc, oh, ow] * x[n, c, oh*sh+kh-ph, ow+kw-pw]. Per output channel, a first pass lists its nonzero dy in pixel
/// order (image, row, column) without a branch on the data (vector compare, then the lanes packed by a permutation);
/// a second walks the list with a register per input row (c, kh) holding its 8 taps (lanes past KW discarded), each
/// entry adding its dy times the 8 input floats at its place (one unaligned load a row). Entries alternate between two
/// sets of registers (two chains hide the FMA latency), added lane by lane at the end: so every element of dW is the
/// same two fused multiply-add chains from +0, whatever the thread count, on the AVX2 and AVX-512 paths alike. A
/// skipped zero would have added a zero (the result differs from a dense sum only where its terms are all zeros of
/// mixed signs, or multiply an infinite input). As in the other variants the images are cut into a fixed number of
/// chunks (independent of the thread count), each chunk sums into its own partial, and the partials are added in
/// chunk order.
/// dW is overwritten.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuConvWeightSparse
{
    private const int Lanes = 8;

    /// <summary>Input rows (c, kh) one output pixel reads, at most: one accumulator each.</summary>
    public const int Rows = 5;

    // A chunk whose dy has more nonzeros than this share goes to variant 3. On one thread this variant took 1.03 ms on
    // random dy (all nonzero: `scaling "conv1 bwd-weight"`) against variant 3's 0.43, and 0.46 ms with the bias gradient
    // in a LeNet-5 step (23% nonzero: `profile 1`) against 0.60: a straight line between the two crosses near a third.
    private const double MaxDensity = 1.0 / 3;

    /// <summary>Whether this variant may take chunks of the backward-weight pass of <paramref name="s"/> on <paramref name="path"/>.</summary>
    public static bool Handles(in Conv2dShape s, CpuVectorPath path) =>
        CpuConvWeightRows.Handles(s, path) && Avx2.IsSupported && s.KW <= Lanes && s.C * s.KH <= Rows;

    /// <summary>
    /// Writes the partial dW (OC, C*KH*KW) of the images [first, end) to <paramref name="partial"/> from their nonzero dy
    /// and returns true, or returns false (and writes nothing) where more than <see cref="MaxDensity"/> of their dy are
    /// nonzero. The choice depends on the chunk's data alone, never on the thread count.
    /// </summary>
    public static bool TryChunk(in Conv2dShape s, float* x, float* dy, float* partial, int first, int end)
    {
        long ohw = s.OutH * s.OutW, length = (end - first) * s.OC * ohw;
        if (Nonzeros(dy + (first * s.OC * ohw), length) > MaxDensity * length)
        {
            return false;
        }

        Chunk(s, x, dy, partial, first, end);
        return true;
    }

    // How many of x[0, length) are not zero.
    private static long Nonzeros(float* x, long length)
    {
        long count = 0, i = 0;
        for (; i <= length - Lanes; i += Lanes)
        {
            count += BitOperations.PopCount((~Vector256.Equals(Vector256.Load(x + i), Vector256<float>.Zero)).ExtractMostSignificantBits());
        }

        for (; i < length; i++)
        {
            count += x[i] != 0 ? 1 : 0;
        }

        return count;
    }

    // TryChunk's work once the chunk is sparse enough.
    private static void Chunk(in Conv2dShape s, float* x, float* dy, float* partial, int first, int end)
    {
        int hp = s.H + 2 * s.PadH, wp = s.W + 2 * s.PadW, ohw = s.OutH * s.OutW, rows = s.C * s.KH;
        var images = end - first;
        long image = (long)s.C * hp * wp;

        // The images zero-padded, then Lanes floats of slack (a row's 8-float load may reach past the last row), then
        // the lists.
        var padded = CpuScratch.Work((images * image) + Lanes + (2 * ((images * ohw) + Lanes)));
        CpuConvDirect.Pad(s, x + ((long)first * s.C * s.H * s.W), images, padded);

        // off[r] = where input row r = (c, kh) of output pixel (0, 0) begins; a short list repeats its last row.
        var off = stackalloc long[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var row = Math.Min(r, rows - 1);
            off[r] = ((long)(row / s.KH) * hp + (row % s.KH)) * wp;
        }

        // Per output channel, its nonzero dy in pixel order: where each one's input rows begin in `padded`, and its value.
        var list = (int*)(padded + (images * image) + Lanes);
        var values = (float*)(list + (images * ohw) + Lanes);
        var sums = stackalloc float[Rows * Lanes];
        for (var oc = 0; oc < s.OC; oc++)
        {
            var count = Gather(images, s.OutH, s.OutW, dy + (((long)first * s.OC) + oc) * ohw, (long)s.OC * ohw, checked((int)image), s.StrideH * wp, list, values);
            Kernel(count, list, values, padded, off, sums);

            // sums[r*8 + kw] is dW[oc, r, kw] with r = (c, kh).
            for (var r = 0; r < rows; r++)
            {
                for (var kw = 0; kw < s.KW; kw++)
                {
                    partial[(((long)oc * rows) + r) * s.KW + kw] = sums[(r * Lanes) + kw];
                }
            }
        }
    }

    // Lane indices of the set bits of every 8-bit mask, in order, packed to the front (the rest 0): 256 x 8 ints, pinned.
    private static readonly int* Compress = BuildCompress();

    private static int* BuildCompress()
    {
        var table = (int*)NativeMemory.AlignedAlloc(256 * Lanes * sizeof(int), 64);
        new Span<int>(table, 256 * Lanes).Clear();
        for (var mask = 0; mask < 256; mask++)
        {
            for (int j = 0, k = 0; j < Lanes; j++)
            {
                if ((mask & (1 << j)) != 0)
                {
                    table[(mask * Lanes) + k++] = j;
                }
            }
        }

        return table;
    }

    // Writes the nonzero dy of one channel's (height, width) planes (imageDy apart), pixel by pixel, without a branch on
    // the data: list[i] = the pixel's place in the padded images (image floats an image, rowStep an output row), values[i]
    // its dy; returns how many. A row is read in whole vectors; where its width is not a multiple of 8 the last vector
    // is the row's last 8 pixels, with those an earlier vector took masked off. Both lists need 8 entries of slack.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Gather(int images, int height, int width, float* dy, long imageDy, int image, int rowStep, int* list, float* values)
    {
        var count = 0;
        var last = width - Lanes;
        var tail = ~((1u << ((Lanes - (width % Lanes)) % Lanes)) - 1) & 0xFF;
        var compress = Compress;
        var iota = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var down = Vector256.Create(rowStep);
        for (var n = 0; n < images; n++)
        {
            var d = dy + (n * imageDy);
            var place = Vector256.Create(n * image) + iota;
            for (var oh = 0; oh < height; oh++, d += width, place += down)
            {
                for (var ow0 = 0; ow0 < width; ow0 += Lanes)
                {
                    var start = Math.Min(ow0, last);
                    var v = Vector256.Load(d + start);
                    var mask = (~Vector256.Equals(v, Vector256<float>.Zero)).ExtractMostSignificantBits() & (start == ow0 ? 0xFFu : tail);
                    var lanes = Vector256.Load(compress + (mask * Lanes));
                    Avx2.PermuteVar8x32(place + Vector256.Create(start), lanes).Store(list + count);
                    Avx2.PermuteVar8x32(v, lanes).Store(values + count);
                    count += BitOperations.PopCount(mask);
                }
            }
        }

        return count;
    }

    // sums[r*8 + j] = sum over the listed dy of dy * x[place + off[r] + j]: even entries into one set of accumulators,
    // odd into another (two chains hide the FMA latency; the sets trade names after every entry), the two added lane by
    // lane at the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int count, int* list, float* values, float* x, long* off, float* sums)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default;
        long o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4];
        for (var i = 0; i < count; i++)
        {
            var g = Vector256.Create(values[i]);
            var p = x + list[i];
            (a0, b0) = (b0, Vector256.MultiplyAddEstimate(g, Vector256.Load(p + o0), a0));
            (a1, b1) = (b1, Vector256.MultiplyAddEstimate(g, Vector256.Load(p + o1), a1));
            (a2, b2) = (b2, Vector256.MultiplyAddEstimate(g, Vector256.Load(p + o2), a2));
            (a3, b3) = (b3, Vector256.MultiplyAddEstimate(g, Vector256.Load(p + o3), a3));
            (a4, b4) = (b4, Vector256.MultiplyAddEstimate(g, Vector256.Load(p + o4), a4));
        }

        (a0 + b0).Store(sums);
        (a1 + b1).Store(sums + Lanes);
        (a2 + b2).Store(sums + (2 * Lanes));
        (a3 + b3).Store(sums + (3 * Lanes));
        (a4 + b4).Store(sums + (4 * Lanes));
    }
}
