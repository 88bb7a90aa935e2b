// Index tables of the convolution loaders (Conv2d.cs): the integer divisions and modulos that split a GEMM
// row, column or depth index into (n, c, h, w) coordinates, done once per geometry on the host instead of
// per loaded element on the device.
//
// An implicit-GEMM operand element joins a "column" entry (an output or input pixel) and a "depth" entry
// (a tap): its element index is column.Offset + depth.Offset, and it lies inside the image (not in the
// zero padding) when column.H + depth.H is in [0, height) and column.W + depth.W in [0, width). Out is a
// second offset the pass needs per entry (where the pixel's output goes, or a tap's weight).
//
// Tables (g = ConvGeometry; C*H*W etc. written as in Conv2d.cs):
//   OutputPixels  (N*OH*OW), pixel (n, oh, ow): Offset = n*C*H*W + ih0*W + iw0, H = ih0 = oh*SH - PH,
//                 W = iw0 = ow*SW - PW, Out = n*OC*OH*OW + oh*OW + ow (y / dy index of channel 0).
//   Patches       (C*KH*KW), patch row (c, kh, kw): Offset = c*H*W + kh*W + kw, H = kh, W = kw, Out = 0.
//                 im2col(x)[(c,kh,kw), (n,oh,ow)] = x[pixel.Offset + patch.Offset] inside (H, W).
//   InputPixels   (N*H*W), stride 1 only, pixel (n, ih, iw): Offset = n*OC*OH*OW + (ih+PH)*OW + (iw+PW),
//                 H = ih + PH, W = iw + PW, Out = n*C*H*W + ih*W + iw (dx index of channel 0).
//   FlippedTaps   (OC*KH*KW), stride 1 only, tap (oc, kh, kw): Offset = oc*OH*OW - kh*OW - kw, H = -kh,
//                 W = -kw, Out = oc*C*KH*KW + kh*KW + kw (w index of channel 0).
//                 dy[n, oc, ih+PH-kh, iw+PW-kw] = dy[pixel.Offset + tap.Offset] inside (OH, OW): at stride 1
//                 backward-data is a correlation of dy with the flipped kernel, and every tap inside is a real one.
namespace GpuTrainer.Kernels;

/// <summary>One entry of a convolution index table (see ConvIndexTables.cs): offsets and the coordinates that decide padding.</summary>
/// <param name="Offset">Element offset, added to the other table's Offset.</param>
/// <param name="H">Row coordinate, added to the other table's H and checked against the image height.</param>
/// <param name="W">Column coordinate, added to the other table's W and checked against the image width.</param>
/// <param name="Out">The entry's second offset (output pixel or weight tap of channel 0).</param>
public readonly record struct ConvIndex(int Offset, int H, int W, int Out)
{
    /// <summary>True when (H + tap.H, W + tap.W) lies in a height x width image.</summary>
    /// <param name="tap">The other table's entry.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    public bool Inside(ConvIndex tap, int height, int width) => (uint)(H + tap.H) < (uint)height && (uint)(W + tap.W) < (uint)width;
}

/// <summary>Builds the index tables of one convolution geometry on the host (see ConvIndexTables.cs).</summary>
public static class ConvIndexTables
{
    /// <summary>Output pixels (N*OH*OW entries) for im2col columns and y / dy offsets.</summary>
    /// <param name="g">Sizes.</param>
    public static ConvIndex[] OutputPixels(ConvGeometry g)
    {
        var table = new ConvIndex[checked(g.N * g.OutPlane)];
        for (int n = 0, i = 0; n < g.N; n++)
        {
            for (var oh = 0; oh < g.OH; oh++)
            {
                for (var ow = 0; ow < g.OW; ow++, i++)
                {
                    int ih0 = oh * g.SH - g.PH, iw0 = ow * g.SW - g.PW;
                    table[i] = new(checked(n * g.C * g.InPlane + ih0 * g.W + iw0), ih0, iw0, checked(n * g.OC * g.OutPlane + oh * g.OW + ow));
                }
            }
        }

        return table;
    }

    /// <summary>Patch rows (C*KH*KW entries) for im2col rows.</summary>
    /// <param name="g">Sizes.</param>
    public static ConvIndex[] Patches(ConvGeometry g)
    {
        var table = new ConvIndex[g.Patch];
        for (int c = 0, i = 0; c < g.C; c++)
        {
            for (var kh = 0; kh < g.KH; kh++)
            {
                for (var kw = 0; kw < g.KW; kw++, i++)
                {
                    table[i] = new(c * g.InPlane + kh * g.W + kw, kh, kw, 0);
                }
            }
        }

        return table;
    }

    /// <summary>Input pixels (N*H*W entries) of stride-1 backward-data: dy offsets and dx offsets.</summary>
    /// <param name="g">Sizes; SH = SW = 1.</param>
    public static ConvIndex[] InputPixels(ConvGeometry g)
    {
        RequireStride1(g);
        var table = new ConvIndex[checked(g.N * g.InPlane)];
        for (int n = 0, i = 0; n < g.N; n++)
        {
            for (var ih = 0; ih < g.H; ih++)
            {
                for (var iw = 0; iw < g.W; iw++, i++)
                {
                    int th = ih + g.PH, tw = iw + g.PW;
                    table[i] = new(checked(n * g.OC * g.OutPlane + th * g.OW + tw), th, tw, checked(n * g.C * g.InPlane + ih * g.W + iw));
                }
            }
        }

        return table;
    }

    /// <summary>Taps (OC*KH*KW entries) of stride-1 backward-data, flipped: dy offsets and weight offsets.</summary>
    /// <param name="g">Sizes; SH = SW = 1.</param>
    public static ConvIndex[] FlippedTaps(ConvGeometry g)
    {
        RequireStride1(g);
        var table = new ConvIndex[g.OC * g.Taps];
        for (int oc = 0, i = 0; oc < g.OC; oc++)
        {
            for (var kh = 0; kh < g.KH; kh++)
            {
                for (var kw = 0; kw < g.KW; kw++, i++)
                {
                    table[i] = new(oc * g.OutPlane - kh * g.OW - kw, -kh, -kw, oc * g.Patch + kh * g.KW + kw);
                }
            }
        }

        return table;
    }

    private static void RequireStride1(ConvGeometry g)
    {
        if (g.SH != 1 || g.SW != 1)
        {
            throw new ArgumentException($"stride-1 tables asked for stride ({g.SH}, {g.SW})", nameof(g));
        }
    }
}
