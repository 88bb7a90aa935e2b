using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Convolution forward, variant 2: direct, vectorised along the output channels, with no im2col matrix and no packed
/// B (variant 1 is <see cref="CpuConv"/>'s im2col + GEMM, which the scalar path keeps as the yardstick).
/// y (N,OC,OH,OW) = conv(x (N,C,H,W), w (OC,C,KH,KW)). A register tile holds R output pixels x one block of output
/// channels: 6 pixels x 16 channels (12 Vector256 accumulators) or, for a last block of at most 8 channels, 8 pixels x
/// 8 channels. For every p = (c,kh,kw) in order the tile loads the weights w[oc.., p] (packed p-major per block) and
/// broadcasts each pixel's input x[c, oh*sh+kh, ow*sw+kw] straight from the (zero-padded) input, so a pixel tile may
/// span output rows and images freely. Each output element is therefore the same fused multiply-add chain over p
/// from +0, in blocks of <see cref="CpuGemm.Kc"/> added in order, as <see cref="CpuGemm"/> computes it: the two
/// variants agree bit for bit on a CPU with FMA. The tile is written back transposed, one channel at a time (8x8 tiles
/// transposed in registers and stored as vectors where their pixels are consecutive).
/// On the AVX-512 path the same chains run in zmm registers: 8 pixels x 16 channels, and 2 output rows at once in the
/// row variant, so the two paths agree bit for bit.
/// Images are split across threads; each part pads its own images into scratch when the shape has padding.
/// </summary>
[SkipLocalsInit]
internal static unsafe class CpuConvDirect
{
    private const int Lanes = 8, WidePixels = 6, NarrowPixels = 8, WidePixels512 = 8;

    // Longest p (C*KH*KW) whose offset table goes on the stack.
    private const int MaxDepth = 4096;

    /// <summary>Whether one of the direct variants runs the forward pass of <paramref name="s"/> on <paramref name="path"/>.</summary>
    public static bool Handles(in Conv2dShape s, CpuVectorPath path) =>
        path != CpuVectorPath.Scalar && (ByRows(s) || (s.OC > Lanes && s.C * s.KH * s.KW <= MaxDepth));

    public static void Forward(Conv2dShape s, float* x, float* w, float* y, CpuParallel parallel, CpuVectorPath path)
    {
        int ckk = s.C * s.KH * s.KW;
        if (ByRows(s))
        {
            var panels = CpuScratch.Shared(CpuGemm.PackedASize(s.OC, ckk));
            CpuGemm.PackA(s.OC, ckk, w, ckk, 1, panels);
            var rows = new RowImages(s, x, panels, y, parallel.PartsFor(s.N), path);
            parallel.For(rows.Parts, ref rows);
            return;
        }

        var packed = CpuScratch.Shared((long)PaddedChannels(s.OC) * ckk);
        PackWeight(s.OC, ckk, w, packed);
        var parts = new ForwardImages(s, x, packed, y, parallel.PartsFor(s.N), path);
        parallel.For(parts.Parts, ref parts);
    }

    // The row variant: unit stride along W, output rows of at least 16 pixels, one k-block (so that the overlapping
    // last tile of a row writes, never adds).
    internal static bool ByRows(in Conv2dShape s) => s.StrideW == 1 && s.OutW >= 2 * Lanes && s.C * s.KH * s.KW <= CpuGemm.Kc;

    // Channel blocks: 16 wide while more than 8 channels remain, then one of 8; their widths add up to OC rounded to 8.
    private static int BlockWidth(int remaining) => remaining > Lanes ? 2 * Lanes : Lanes;

    private static int PaddedChannels(int oc) => (oc + Lanes - 1) / Lanes * Lanes;

    // packed: block starting at channel oc0 (width bw) at packed + oc0*ckk, laid out (ckk, bw) = w[oc0 + j, p], zero for
    // channels beyond OC.
    private static void PackWeight(int oc, int ckk, float* w, float* packed)
    {
        for (var oc0 = 0; oc0 < oc; oc0 += BlockWidth(oc - oc0))
        {
            var width = BlockWidth(oc - oc0);
            var block = packed + (long)oc0 * ckk;
            for (var p = 0; p < ckk; p++)
            {
                for (var j = 0; j < width; j++)
                {
                    block[p * width + j] = oc0 + j < oc ? w[(long)(oc0 + j) * ckk + p] : 0f;
                }
            }
        }
    }

    // Images [first, end) of part `part`.
    private readonly struct ForwardImages(Conv2dShape s, float* x, float* packed, float* y, int parts, CpuVectorPath path) : ICpuPart
    {
        public int Parts => parts;

        public void Run(int part)
        {
            var (first, end) = CpuParallel.Range(s.N, parts, part);
            int ckk = s.C * s.KH * s.KW, wp = s.W + 2 * s.PadW, ohw = s.OutH * s.OutW;
            var input = Input(s, x, first, end, out var planes);
            var off = stackalloc int[ckk];
            Offsets(s, off);
            var src = stackalloc float*[WidePixels512];
            var dst = stackalloc float*[WidePixels512];
            var tile = stackalloc float[WidePixels512 * Lanes * 2];
            var wide = path == CpuVectorPath.Avx512 ? WidePixels512 : WidePixels;
            var pixels = (end - first) * ohw;
            for (var oc0 = 0; oc0 < s.OC; oc0 += BlockWidth(s.OC - oc0))
            {
                var width = BlockWidth(s.OC - oc0);
                var rows = width == Lanes ? NarrowPixels : wide;
                var channels = Math.Min(width, s.OC - oc0);
                var block = packed + (long)oc0 * ckk;
                var cursor = new PixelCursor(s, input, planes, wp, y + ((long)first * s.OC + oc0) * ohw, pixels);
                for (var g = 0; g < pixels; g += rows)
                {
                    cursor.Next(rows, src, dst);
                    for (var pc = 0; pc < ckk; pc += CpuGemm.Kc)
                    {
                        var kc = Math.Min(CpuGemm.Kc, ckk - pc);
                        if (width == Lanes)
                        {
                            Kernel8x8(kc, off + pc, block + pc * width, src, tile);
                            StoreNarrow(tile, Math.Min(rows, pixels - g), channels, dst, ohw, pc == 0);
                        }
                        else
                        {
                            if (rows == WidePixels512)
                            {
                                // The first k-block of a full tile of 8 pixels consecutive in y is written from the registers.
                                var direct = pc == 0 && channels == 2 * Lanes && pixels - g >= rows && dst[rows - 1] == dst[0] + rows - 1;
                                Kernel8x16(kc, off + pc, block + pc * width, src, direct ? dst[0] : null, ohw, tile);
                                if (direct)
                                {
                                    continue;
                                }
                            }
                            else
                            {
                                Kernel6x16(kc, off + pc, block + pc * width, src, tile);
                            }

                            StoreWide(tile, Math.Min(rows, pixels - g), channels, dst, ohw, pc == 0);
                        }
                    }
                }
            }
        }
    }

    // Images [first, end) of part `part`, by output rows: tiles of 6 channels x 16 pixels of one row, the last tile of a
    // row shifted left to end at OW (overlapping the previous one, which it rewrites with the same values).
    // On AVX-512 two output rows at once (one zmm per channel and row), the same chains as one row at a time.
    private readonly struct RowImages(Conv2dShape s, float* x, float* panels, float* y, int parts, CpuVectorPath path) : ICpuPart
    {
        public int Parts => parts;

        public void Run(int part)
        {
            var (first, end) = CpuParallel.Range(s.N, parts, part);
            int ckk = s.C * s.KH * s.KW, wp = s.W + 2 * s.PadW, ohw = s.OutH * s.OutW;
            var input = Input(s, x, first, end, out var planes);
            var off = stackalloc int[ckk];
            Offsets(s, off);
            var rowsAtOnce = path == CpuVectorPath.Avx512 ? 2 : 1;
            for (var n = first; n < end; n++)
            for (var oh = 0; oh < s.OutH; oh += rowsAtOnce)
            {
                var row = input + (n - first) * planes + (long)oh * s.StrideH * wp;
                var pair = oh + 1 < s.OutH && rowsAtOnce == 2;
                for (var ow = 0; ; ow += 2 * Lanes)
                {
                    ow = Math.Min(ow, s.OutW - 2 * Lanes);
                    for (var oc0 = 0; oc0 < s.OC; oc0 += CpuGemm.Mr)
                    {
                        var target = y + ((long)n * s.OC + oc0) * ohw + oh * s.OutW + ow;
                        if (pair)
                        {
                            RowKernel512(Taps.All(ckk), off, panels + (long)oc0 * ckk, row + ow, (long)s.StrideH * wp, target, ohw, s.OutW, Math.Min(CpuGemm.Mr, s.OC - oc0), Vector512<float>.AllBitsSet);
                        }
                        else
                        {
                            RowKernel(Taps.All(ckk), off, panels + (long)oc0 * ckk, row + ow, target, ohw, Math.Min(CpuGemm.Mr, s.OC - oc0));
                        }
                    }

                    if (ow == s.OutW - 2 * Lanes)
                    {
                        break;
                    }
                }
            }
        }
    }

    // The part's images, zero-padded into scratch when the shape has padding, and the floats between images.
    private static float* Input(in Conv2dShape s, float* x, int first, int end, out long planes)
    {
        int hp = s.H + 2 * s.PadH, wp = s.W + 2 * s.PadW;
        planes = (long)s.C * hp * wp;
        var input = x + (long)first * s.C * s.H * s.W;
        if (s.PadH == 0 && s.PadW == 0)
        {
            return input;
        }

        var padded = CpuScratch.Work((end - first) * planes);
        Pad(s, input, end - first, padded);
        return padded;
    }

    // off[p] = offset of x[c, kh, kw] in a (padded) image, p = (c*KH + kh)*KW + kw.
    private static void Offsets(in Conv2dShape s, int* off)
    {
        int hp = s.H + 2 * s.PadH, wp = s.W + 2 * s.PadW;
        for (int c = 0, p = 0; c < s.C; c++)
        for (var kh = 0; kh < s.KH; kh++)
        for (var kw = 0; kw < s.KW; kw++)
        {
            off[p++] = (c * hp + kh) * wp + kw;
        }
    }

    // Walks the output pixels of a part in order (image, oh, ow), handing out tiles of consecutive pixels; past the last
    // pixel it repeats the last one, so a short last tile computes that pixel again (and Store skips the copies). The
    // input and output pointers move by steps: along a row, to the next row, to the next image.
    private struct PixelCursor(Conv2dShape s, float* input, long planes, int wp, float* output, int pixels)
    {
        private readonly long _rowJump = ((long)s.StrideH * wp) - ((long)s.OutW * s.StrideW);
        private readonly long _imageJump = planes - ((long)s.OutH * s.StrideH * wp);
        private readonly long _outputJump = (long)(s.OC - 1) * s.OutH * s.OutW;
        private float* _src = input, _dst = output;
        private int _g, _oh, _ow;

        public void Next(int rows, float** src, float** dst)
        {
            for (var r = 0; r < rows; r++)
            {
                src[r] = _src;
                dst[r] = _dst;
                if (_g + 1 < pixels)
                {
                    _g++;
                    _src += s.StrideW;
                    _dst++;
                    if (++_ow == s.OutW)
                    {
                        _ow = 0;
                        _src += _rowJump;
                        if (++_oh == s.OutH)
                        {
                            _oh = 0;
                            _src += _imageJump;
                            _dst += _outputJump;
                        }
                    }
                }
            }
        }
    }

    // y[oc0 + j, pixel r] (= or +=) tile[r*16 + j] for the block's real channels and the tile's first `rows` pixels,
    // dst[r] pointing at channel oc0.
    private static void StoreWide(float* tile, int rows, int channels, float** dst, int ohw, bool first)
    {
        for (var j = 0; j < channels; j++)
        {
            long offset = (long)j * ohw;
            for (var r = 0; r < rows; r++)
            {
                var v = tile[r * 2 * Lanes + j];
                dst[r][offset] = first ? v : v + dst[r][offset];
            }
        }
    }

    // As StoreWide for the channel-major tile of Kernel8x8 (tile[j*8 + r]): one vector per channel when the eight pixels
    // are consecutive in y.
    private static void StoreNarrow(float* tile, int rows, int channels, float** dst, int ohw, bool first)
    {
        if (rows == NarrowPixels && dst[NarrowPixels - 1] == dst[0] + NarrowPixels - 1)
        {
            for (var j = 0; j < channels; j++)
            {
                var target = dst[0] + (long)j * ohw;
                var v = Vector256.Load(tile + j * Lanes);
                (first ? v : v + Vector256.Load(target)).Store(target);
            }

            return;
        }

        for (var j = 0; j < channels; j++)
        {
            long offset = (long)j * ohw;
            for (var r = 0; r < rows; r++)
            {
                var v = tile[j * Lanes + r];
                dst[r][offset] = first ? v : v + dst[r][offset];
            }
        }
    }

    // Interior copy of `images` images into (C, H+2ph, W+2pw) planes with zero borders.
    internal static void Pad(in Conv2dShape s, float* x, int images, float* padded)
    {
        int hp = s.H + 2 * s.PadH, wp = s.W + 2 * s.PadW;
        new Span<float>(padded, checked(images * s.C * hp * wp)).Clear();
        for (var plane = 0; plane < images * s.C; plane++)
        {
            for (var h = 0; h < s.H; h++)
            {
                CpuConv.CopyRow(x + ((long)plane * s.H + h) * s.W, padded + ((long)plane * hp + h + s.PadH) * wp + s.PadW, s.W);
            }
        }
    }

    // tile (6 pixels, 16 channels) = sum over p < kc of x_r[off[p]] * wt[p, j], one FMA chain per element from +0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, int* off, float* wt, float** src, float* tile)
    {
        float* x0 = src[0], x1 = src[1], x2 = src[2], x3 = src[3], x4 = src[4], x5 = src[5];
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, wt += 2 * Lanes)
        {
            var o = off[p];
            var b0 = Vector256.Load(wt);
            var b1 = Vector256.Load(wt + Lanes);
            var a = Vector256.Create(x0[o]);
            c00 = Vector256.MultiplyAddEstimate(a, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a, b1, c01);
            a = Vector256.Create(x1[o]);
            c10 = Vector256.MultiplyAddEstimate(a, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a, b1, c11);
            a = Vector256.Create(x2[o]);
            c20 = Vector256.MultiplyAddEstimate(a, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(a, b1, c21);
            a = Vector256.Create(x3[o]);
            c30 = Vector256.MultiplyAddEstimate(a, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(a, b1, c31);
            a = Vector256.Create(x4[o]);
            c40 = Vector256.MultiplyAddEstimate(a, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(a, b1, c41);
            a = Vector256.Create(x5[o]);
            c50 = Vector256.MultiplyAddEstimate(a, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(a, b1, c51);
        }

        c00.Store(tile);
        c01.Store(tile + 8);
        c10.Store(tile + 16);
        c11.Store(tile + 24);
        c20.Store(tile + 32);
        c21.Store(tile + 40);
        c30.Store(tile + 48);
        c31.Store(tile + 56);
        c40.Store(tile + 64);
        c41.Store(tile + 72);
        c50.Store(tile + 80);
        c51.Store(tile + 88);
    }

    // tile (8 pixels, 16 channels), as Kernel6x16 with one zmm per pixel: the same chains. Eight pixels, not twelve:
    // twelve pixel pointers do not fit the general registers next to the loop's own, and the JIT reloaded five of
    // them from the stack at every p (19 loads per 12 FMAs; here 10 per 8). With a target (8 pixels consecutive in y,
    // channel j at target + j*ohw) the tile is transposed in registers and written there instead (no scalar store).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x16(int kc, int* off, float* wt, float** src, float* target, int ohw, float* tile)
    {
        float* x0 = src[0], x1 = src[1], x2 = src[2], x3 = src[3], x4 = src[4], x5 = src[5], x6 = src[6], x7 = src[7];
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (var p = 0; p < kc; p++, wt += 2 * Lanes)
        {
            var o = off[p];
            var b = Vector512.Load(wt);
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(x0[o]), b, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(x1[o]), b, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(x2[o]), b, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(x3[o]), b, c3);
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(x4[o]), b, c4);
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(x5[o]), b, c5);
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(x6[o]), b, c6);
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(x7[o]), b, c7);
        }

        if (target != null)
        {
            StoreTransposed(target, ohw, c0.GetLower(), c1.GetLower(), c2.GetLower(), c3.GetLower(), c4.GetLower(), c5.GetLower(), c6.GetLower(), c7.GetLower());
            StoreTransposed(target + ((long)Lanes * ohw), ohw, c0.GetUpper(), c1.GetUpper(), c2.GetUpper(), c3.GetUpper(), c4.GetUpper(), c5.GetUpper(), c6.GetUpper(), c7.GetUpper());
            return;
        }

        c0.Store(tile);
        c1.Store(tile + 16);
        c2.Store(tile + 32);
        c3.Store(tile + 48);
        c4.Store(tile + 64);
        c5.Store(tile + 80);
        c6.Store(tile + 96);
        c7.Store(tile + 112);
    }

    // tile (8 channels, 8 pixels), channel-major, as Kernel6x16 otherwise.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x8(int kc, int* off, float* wt, float** src, float* tile)
    {
        float* x0 = src[0], x1 = src[1], x2 = src[2], x3 = src[3], x4 = src[4], x5 = src[5], x6 = src[6], x7 = src[7];
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (var p = 0; p < kc; p++, wt += Lanes)
        {
            var o = off[p];
            var b = Vector256.Load(wt);
            c0 = Vector256.MultiplyAddEstimate(Vector256.Create(x0[o]), b, c0);
            c1 = Vector256.MultiplyAddEstimate(Vector256.Create(x1[o]), b, c1);
            c2 = Vector256.MultiplyAddEstimate(Vector256.Create(x2[o]), b, c2);
            c3 = Vector256.MultiplyAddEstimate(Vector256.Create(x3[o]), b, c3);
            c4 = Vector256.MultiplyAddEstimate(Vector256.Create(x4[o]), b, c4);
            c5 = Vector256.MultiplyAddEstimate(Vector256.Create(x5[o]), b, c5);
            c6 = Vector256.MultiplyAddEstimate(Vector256.Create(x6[o]), b, c6);
            c7 = Vector256.MultiplyAddEstimate(Vector256.Create(x7[o]), b, c7);
        }

        StoreTransposed(tile, c0, c1, c2, c3, c4, c5, c6, c7);
    }

    // tile[j*8 + r] = row r's lane j: the 8x8 transpose in unpacks, shuffles and lane swaps where AVX has them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreTransposed(
        float* tile, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7) =>
        StoreTransposed(tile, Lanes, r0, r1, r2, r3, r4, r5, r6, r7);

    // target[j*stride + r] = row r's lane j, j and r < 8: as above, each transposed row stored `stride` floats apart.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreTransposed(
        float* target, long stride, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
        if (!Avx.IsSupported)
        {
            ReadOnlySpan<Vector256<float>> rows = [r0, r1, r2, r3, r4, r5, r6, r7];
            for (var r = 0; r < NarrowPixels; r++)
            {
                for (var j = 0; j < Lanes; j++)
                {
                    target[j * stride + r] = rows[r][j];
                }
            }

            return;
        }

        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).Store(target);
        Avx.Permute2x128(u1, u5, 0x20).Store(target + stride);
        Avx.Permute2x128(u2, u6, 0x20).Store(target + (2 * stride));
        Avx.Permute2x128(u3, u7, 0x20).Store(target + (3 * stride));
        Avx.Permute2x128(u0, u4, 0x31).Store(target + (4 * stride));
        Avx.Permute2x128(u1, u5, 0x31).Store(target + (5 * stride));
        Avx.Permute2x128(u2, u6, 0x31).Store(target + (6 * stride));
        Avx.Permute2x128(u3, u7, 0x31).Store(target + (7 * stride));
    }

    /// <summary>
    /// The p a row tile sums, in order: for each of <see cref="Groups"/> groups g, the <see cref="Length"/> p from
    /// g*Stride + Start on (the forward pass: all p in one group; the backward-data pass, CpuConvData: per output channel,
    /// the kernel rows whose dy rows exist).
    /// </summary>
    internal readonly record struct Taps(int Groups, int Stride, int Start, int Length)
    {
        public static Taps All(int depth) => new(1, depth, 0, depth);
    }

    // RowKernel for two output rows at once: the second row's input at x + ldx, its output at c + next; one zmm per
    // channel and row, the same chains. Stores only the lanes set in `mask`.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RowKernel512(Taps taps, int* off, float* panel, float* x, long ldx, float* c, long ldc, int next, int rows, Vector512<float> mask)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (var g = 0; g < taps.Groups; g++)
        for (int p = (g * taps.Stride) + taps.Start, pEnd = p + taps.Length; p < pEnd; p++)
        {
            var pa = panel + (p * CpuGemm.Mr);
            var b = x + off[p];
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + ldx);
            var a = Vector512.Create(pa[0]);
            c00 = Vector512.MultiplyAddEstimate(a, b0, c00);
            c10 = Vector512.MultiplyAddEstimate(a, b1, c10);
            a = Vector512.Create(pa[1]);
            c01 = Vector512.MultiplyAddEstimate(a, b0, c01);
            c11 = Vector512.MultiplyAddEstimate(a, b1, c11);
            a = Vector512.Create(pa[2]);
            c02 = Vector512.MultiplyAddEstimate(a, b0, c02);
            c12 = Vector512.MultiplyAddEstimate(a, b1, c12);
            a = Vector512.Create(pa[3]);
            c03 = Vector512.MultiplyAddEstimate(a, b0, c03);
            c13 = Vector512.MultiplyAddEstimate(a, b1, c13);
            a = Vector512.Create(pa[4]);
            c04 = Vector512.MultiplyAddEstimate(a, b0, c04);
            c14 = Vector512.MultiplyAddEstimate(a, b1, c14);
            a = Vector512.Create(pa[5]);
            c05 = Vector512.MultiplyAddEstimate(a, b0, c05);
            c15 = Vector512.MultiplyAddEstimate(a, b1, c15);
        }

        Avx512F.MaskStore(c, mask, c00);
        Avx512F.MaskStore(c + next, mask, c10);
        if (rows > 1)
        {
            Avx512F.MaskStore(c + ldc, mask, c01);
            Avx512F.MaskStore(c + ldc + next, mask, c11);
        }

        if (rows > 2)
        {
            Avx512F.MaskStore(c + 2 * ldc, mask, c02);
            Avx512F.MaskStore(c + 2 * ldc + next, mask, c12);
        }

        if (rows > 3)
        {
            Avx512F.MaskStore(c + 3 * ldc, mask, c03);
            Avx512F.MaskStore(c + 3 * ldc + next, mask, c13);
        }

        if (rows > 4)
        {
            Avx512F.MaskStore(c + 4 * ldc, mask, c04);
            Avx512F.MaskStore(c + 4 * ldc + next, mask, c14);
        }

        if (rows > 5)
        {
            Avx512F.MaskStore(c + 5 * ldc, mask, c05);
            Avx512F.MaskStore(c + 5 * ldc + next, mask, c15);
        }
    }

    // c[r*ldc + 0..16) = sum over the taps' p of panel[p*6 + r] * x[off[p] + 0..16) for the first `rows` rows: CpuGemm's
    // 6x16 tile with its B row read straight from the input row instead of a packed panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RowKernel(Taps taps, int* off, float* panel, float* x, float* c, long ldc, int rows)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var g = 0; g < taps.Groups; g++)
        for (int p = (g * taps.Stride) + taps.Start, pEnd = p + taps.Length; p < pEnd; p++)
        {
            var pa = panel + (p * CpuGemm.Mr);
            var b = x + off[p];
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + Lanes);
            var a = Vector256.Create(pa[0]);
            c00 = Vector256.MultiplyAddEstimate(a, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a, b1, c01);
            a = Vector256.Create(pa[1]);
            c10 = Vector256.MultiplyAddEstimate(a, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a, b1, c11);
            a = Vector256.Create(pa[2]);
            c20 = Vector256.MultiplyAddEstimate(a, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(a, b1, c21);
            a = Vector256.Create(pa[3]);
            c30 = Vector256.MultiplyAddEstimate(a, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(a, b1, c31);
            a = Vector256.Create(pa[4]);
            c40 = Vector256.MultiplyAddEstimate(a, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(a, b1, c41);
            a = Vector256.Create(pa[5]);
            c50 = Vector256.MultiplyAddEstimate(a, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(a, b1, c51);
        }

        c00.Store(c);
        c01.Store(c + Lanes);
        if (rows > 1)
        {
            c10.Store(c + ldc);
            c11.Store(c + ldc + Lanes);
        }

        if (rows > 2)
        {
            c20.Store(c + 2 * ldc);
            c21.Store(c + 2 * ldc + Lanes);
        }

        if (rows > 3)
        {
            c30.Store(c + 3 * ldc);
            c31.Store(c + 3 * ldc + Lanes);
        }

        if (rows > 4)
        {
            c40.Store(c + 4 * ldc);
            c41.Store(c + 4 * ldc + Lanes);
        }

        if (rows > 5)
        {
            c50.Store(c + 5 * ldc);
            c51.Store(c + 5 * ldc + Lanes);
        }
    }
}
