using GpuTrainer.Compute;

namespace GpuTrainer.Tests.Reference;

/// <summary>
/// Plain float64 references for every <see cref="IBackend"/> operation: the yardstick both backends
/// are checked against. Written for clarity, never for speed: one loop nest per formula.
/// </summary>
public static class ReferenceOps
{
    // C[b] = alpha * op(A[b]) op(B[b]) + beta * C[b]   (in place on c)
    public static void Gemm(GemmShape s, double alpha, double[] a, double[] b, double beta, double[] c)
    {
        for (var batch = 0; batch < s.Batch; batch++)
        {
            long oa = batch * s.StrideA, ob = batch * s.StrideB, oc = batch * s.StrideC;
            for (var i = 0; i < s.M; i++)
            {
                for (var j = 0; j < s.N; j++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < s.K; k++)
                    {
                        var av = s.TransA ? a[oa + (long)k * s.M + i] : a[oa + (long)i * s.K + k];
                        var bv = s.TransB ? b[ob + (long)j * s.K + k] : b[ob + (long)k * s.N + j];
                        sum += av * bv;
                    }

                    var idx = oc + (long)i * s.N + j;
                    c[idx] = alpha * sum + (beta == 0 ? 0 : beta * c[idx]);
                }
            }
        }
    }

    // y (N,OC,OH,OW) = sum_{c,kh,kw} x[n,c,oh*sh-ph+kh,ow*sw-pw+kw] * w[oc,c,kh,kw]
    public static double[] Conv2dForward(Conv2dShape s, double[] x, double[] w)
    {
        var y = new double[s.OutputSize];
        for (var n = 0; n < s.N; n++)
        for (var oc = 0; oc < s.OC; oc++)
        for (var oh = 0; oh < s.OutH; oh++)
        for (var ow = 0; ow < s.OutW; ow++)
        {
            var sum = 0.0;
            for (var c = 0; c < s.C; c++)
            for (var kh = 0; kh < s.KH; kh++)
            for (var kw = 0; kw < s.KW; kw++)
            {
                int ih = oh * s.StrideH - s.PadH + kh, iw = ow * s.StrideW - s.PadW + kw;
                if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W)
                {
                    continue;
                }

                sum += x[((n * s.C + c) * s.H + ih) * s.W + iw] * w[((oc * s.C + c) * s.KH + kh) * s.KW + kw];
            }

            y[((n * s.OC + oc) * s.OutH + oh) * s.OutW + ow] = sum;
        }

        return y;
    }

    // dx[n,c,ih,iw] = sum over (oc,oh,ow,kh,kw) that read it of dy[n,oc,oh,ow] * w[oc,c,kh,kw]
    public static double[] Conv2dBackwardData(Conv2dShape s, double[] dy, double[] w)
    {
        var dx = new double[s.InputSize];
        ForEachTap(s, (n, c, ih, iw, oc, oh, ow, kh, kw) =>
            dx[((n * s.C + c) * s.H + ih) * s.W + iw] +=
                dy[((n * s.OC + oc) * s.OutH + oh) * s.OutW + ow] * w[((oc * s.C + c) * s.KH + kh) * s.KW + kw]);
        return dx;
    }

    // dw[oc,c,kh,kw] = sum_{n,oh,ow} dy[n,oc,oh,ow] * x[n,c,ih,iw]
    public static double[] Conv2dBackwardWeight(Conv2dShape s, double[] x, double[] dy)
    {
        var dw = new double[s.WeightSize];
        ForEachTap(s, (n, c, ih, iw, oc, oh, ow, kh, kw) =>
            dw[((oc * s.C + c) * s.KH + kh) * s.KW + kw] +=
                dy[((n * s.OC + oc) * s.OutH + oh) * s.OutW + ow] * x[((n * s.C + c) * s.H + ih) * s.W + iw]);
        return dw;
    }

    private delegate void Tap(int n, int c, int ih, int iw, int oc, int oh, int ow, int kh, int kw);

    // Visits every (output, kernel tap) pair whose input position lies inside the image.
    private static void ForEachTap(Conv2dShape s, Tap tap)
    {
        for (var n = 0; n < s.N; n++)
        for (var oc = 0; oc < s.OC; oc++)
        for (var oh = 0; oh < s.OutH; oh++)
        for (var ow = 0; ow < s.OutW; ow++)
        for (var c = 0; c < s.C; c++)
        for (var kh = 0; kh < s.KH; kh++)
        for (var kw = 0; kw < s.KW; kw++)
        {
            int ih = oh * s.StrideH - s.PadH + kh, iw = ow * s.StrideW - s.PadW + kw;
            if (ih >= 0 && ih < s.H && iw >= 0 && iw < s.W)
            {
                tap(n, c, ih, iw, oc, oh, ow, kh, kw);
            }
        }
    }

    public static double[] MaxPoolForward(Pool2dShape s, double[] x)
    {
        var y = new double[s.OutputSize];
        ForEachWindow(s, (plane, oh, ow) =>
        {
            var (_, value) = WindowArgMax(s, x, plane, oh, ow);
            y[(plane * s.OutH + oh) * s.OutW + ow] = value;
        });
        return y;
    }

    // Gradient goes to the first maximal element of each window (row-major scan), summed over windows.
    public static double[] MaxPoolBackward(Pool2dShape s, double[] x, double[] dy)
    {
        var dx = new double[s.InputSize];
        ForEachWindow(s, (plane, oh, ow) =>
        {
            var (index, _) = WindowArgMax(s, x, plane, oh, ow);
            dx[index] += dy[(plane * s.OutH + oh) * s.OutW + ow];
        });
        return dx;
    }

    public static double[] AvgPoolForward(Pool2dShape s, double[] x)
    {
        var y = new double[s.OutputSize];
        ForEachWindow(s, (plane, oh, ow) =>
        {
            var sum = 0.0;
            ForEachCell(s, plane, oh, ow, i => sum += x[i]);
            y[(plane * s.OutH + oh) * s.OutW + ow] = sum / (s.KH * s.KW);
        });
        return y;
    }

    public static double[] AvgPoolBackward(Pool2dShape s, double[] dy)
    {
        var dx = new double[s.InputSize];
        ForEachWindow(s, (plane, oh, ow) =>
        {
            var g = dy[(plane * s.OutH + oh) * s.OutW + ow] / (s.KH * s.KW);
            ForEachCell(s, plane, oh, ow, i => dx[i] += g);
        });
        return dx;
    }

    private static void ForEachWindow(Pool2dShape s, Action<int, int, int> window)
    {
        for (var plane = 0; plane < s.N * s.C; plane++)
        for (var oh = 0; oh < s.OutH; oh++)
        for (var ow = 0; ow < s.OutW; ow++)
        {
            window(plane, oh, ow);
        }
    }

    // Calls cell(flat input index) for each in-image cell of window (oh, ow) of plane, row-major.
    private static void ForEachCell(Pool2dShape s, int plane, int oh, int ow, Action<int> cell)
    {
        for (var kh = 0; kh < s.KH; kh++)
        for (var kw = 0; kw < s.KW; kw++)
        {
            int ih = oh * s.StrideH - s.PadH + kh, iw = ow * s.StrideW - s.PadW + kw;
            if (ih >= 0 && ih < s.H && iw >= 0 && iw < s.W)
            {
                cell((plane * s.H + ih) * s.W + iw);
            }
        }
    }

    private static (int Index, double Value) WindowArgMax(Pool2dShape s, double[] x, int plane, int oh, int ow)
    {
        var best = (Index: -1, Value: double.NegativeInfinity);
        ForEachCell(s, plane, oh, ow, i =>
        {
            if (best.Index < 0 || x[i] > best.Value)
            {
                best = (i, x[i]);
            }
        });
        return best;
    }

    // y[o,c,i] = act(x[o,c,i] + bias[c])
    public static double[] BiasActivation(double[] x, double[]? bias, int outer, int channels, int inner, Activation act)
    {
        var y = new double[outer * channels * inner];
        for (var o = 0; o < outer; o++)
        for (var c = 0; c < channels; c++)
        for (var i = 0; i < inner; i++)
        {
            var idx = (o * channels + c) * inner + i;
            var v = x[idx] + (bias is null ? 0 : bias[c]);
            y[idx] = act == Activation.Relu ? Math.Max(v, 0) : v;
        }

        return y;
    }

    // dx = dy * act'(y); ReLU's derivative at y = 0 is 0 (PyTorch's choice).
    public static double[] ActivationBackward(double[] y, double[] dy, Activation act) =>
        [.. y.Select((v, i) => act == Activation.Relu && v <= 0 ? 0 : dy[i])];

    public static double[] BiasGradient(double[] dy, int outer, int channels, int inner)
    {
        var db = new double[channels];
        for (var o = 0; o < outer; o++)
        for (var c = 0; c < channels; c++)
        for (var i = 0; i < inner; i++)
        {
            db[c] += dy[(o * channels + c) * inner + i];
        }

        return db;
    }

    public static (double[] DLogits, double LossSum, int Correct) SoftmaxCrossEntropy(
        double[] logits, double[] labels, int rows, int classes, double gradScale)
    {
        var d = new double[rows * classes];
        double lossSum = 0;
        var correct = 0;
        for (var r = 0; r < rows; r++)
        {
            var row = logits.AsSpan(r * classes, classes);
            double max = double.NegativeInfinity, sum = 0;
            var argMax = 0;
            for (var k = 0; k < classes; k++)
            {
                if (row[k] > max)
                {
                    (max, argMax) = (row[k], k);
                }
            }

            foreach (var v in row)
            {
                sum += Math.Exp(v - max);
            }

            var label = (int)labels[r];
            lossSum += Math.Log(sum) + max - row[label];
            correct += argMax == label ? 1 : 0;
            for (var k = 0; k < classes; k++)
            {
                d[r * classes + k] = (Math.Exp(row[k] - max) / sum - (k == label ? 1 : 0)) * gradScale;
            }
        }

        return (d, lossSum, correct);
    }

    public static void SgdStep(double[] p, double[] grad, double[] buf, SgdHyper h)
    {
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i] + h.WeightDecay * p[i];
            if (h.Momentum != 0)
            {
                buf[i] = h.FirstStep ? g : h.Momentum * buf[i] + (1 - h.Dampening) * g;
                g = h.Nesterov ? g + h.Momentum * buf[i] : buf[i];
            }

            p[i] -= h.Lr * g;
        }
    }

    public static void AdamStep(double[] p, double[] grad, double[] m, double[] v, AdamHyper h)
    {
        var bc1 = 1 - Math.Pow(h.Beta1, h.Step);
        var bc2 = 1 - Math.Pow(h.Beta2, h.Step);
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i];
            if (h.Decoupled)
            {
                p[i] *= 1 - h.Lr * h.WeightDecay;
            }
            else
            {
                g += h.WeightDecay * p[i];
            }

            m[i] = h.Beta1 * m[i] + (1 - h.Beta1) * g;
            v[i] = h.Beta2 * v[i] + (1 - h.Beta2) * g * g;
            p[i] -= h.Lr / bc1 * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(bc2) + h.Eps);
        }
    }
}
