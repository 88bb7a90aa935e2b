using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Bias + activation, its backward, and the bias gradient, vectorised with Vector256 and split across
/// threads over independent rows or channels (so results do not depend on the thread count).
/// Tensors are viewed as (outer, channels, inner): (N,F,1) after a linear layer, (N,OC,OH*OW) after a convolution.
/// </summary>
internal static unsafe class CpuElementwise
{
    // Elementwise work is memory-bound: fork only when each thread gets at least this many elements.
    private const int MinElementsPerPart = 1 << 15;

    // y[o,c,i] = act(x[o,c,i] + bias[c]); bias may be null; x and y may alias.
    public static void BiasActivation(float* x, float* bias, float* y, int outer, int channels, int inner, Activation act, CpuParallel parallel)
    {
        var relu = act == Activation.Relu;
        long rowLength = (long)channels * inner;
        var rows = new BiasActivationRows(x, bias, y, channels, inner, rowLength, relu);
        parallel.ForRanges(outer, (int)(MinElementsPerPart / rowLength) + 1, ref rows);
    }

    // dx = dy * act'(y): ReLU passes dy where y > 0 (its derivative at 0 is 0). dx may alias dy.
    public static void ActivationBackward(float* y, float* dy, float* dx, int count, Activation act, CpuParallel parallel)
    {
        if (act == Activation.Identity)
        {
            new Span<float>(dy, count).CopyTo(new Span<float>(dx, count));
            return;
        }

        var ranges = new ReluBackwardRanges(y, dy, dx);
        parallel.ForRanges(count, MinElementsPerPart, ref ranges);
    }

    // dBias[c] = sum over o and i of dy[o,c,i], accumulated in double per channel.
    public static void BiasGradient(float* dy, float* dBias, int outer, int channels, int inner, CpuParallel parallel)
    {
        var minChannels = (int)(MinElementsPerPart / ((long)outer * inner)) + 1;
        var ranges = new BiasGradientChannels(dy, dBias, outer, channels, inner);
        parallel.ForRanges(channels, minChannels, ref ranges);
    }

    // BiasActivation over the rows [first, end) of `outer`.
    private readonly struct BiasActivationRows(float* x, float* bias, float* y, int channels, int inner, long rowLength, bool relu) : ICpuRange
    {
        public void Run(int first, int end)
        {
            for (var o = first; o < end; o++)
            {
                long row = o * rowLength;
                if (inner == 1)
                {
                    AddActivate(x + row, y + row, channels, bias, 0f, relu);
                    continue;
                }

                for (var c = 0; c < channels; c++)
                {
                    var offset = row + (long)c * inner;
                    AddActivate(x + offset, y + offset, inner, null, bias == null ? 0f : bias[c], relu);
                }
            }
        }
    }

    // ReLU's backward over the elements [first, end).
    private readonly struct ReluBackwardRanges(float* y, float* dy, float* dx) : ICpuRange
    {
        public void Run(int first, int end) => ReluBackward(y, dy, dx, first, end);
    }

    // dx[i] = y[i] <= 0 ? 0 : dy[i] for i in [first, end): ReLU's backward, also run by the fused max-pool backward.
    public static void ReluBackward(float* y, float* dy, float* dx, long first, long end)
    {
        var i = first;
        for (; i <= end - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var dead = Vector256.LessThanOrEqual(Vector256.Load(y + i), Vector256<float>.Zero);
            Vector256.AndNot(Vector256.Load(dy + i), dead).Store(dx + i);
        }

        for (; i < end; i++)
        {
            dx[i] = y[i] <= 0 ? 0f : dy[i];
        }
    }

    // BiasGradient of the channels [first, end): each channel's planes summed by Sum4, four at a time (four independent
    // chains, the same arithmetic per plane), into a double in plane order; or for inner = 1 eight channels at a time down
    // the rows (each lane a channel's double sum in row order).
    private readonly struct BiasGradientChannels(float* dy, float* dBias, int outer, int channels, int inner) : ICpuRange
    {
        public void Run(int first, int end)
        {
            if (inner == 1)
            {
                Columns(first, end);
                return;
            }

            long plane = (long)channels * inner;
            for (var c = first; c < end; c++)
            {
                var sum = 0.0;
                var o = 0;
                for (; o + 4 <= outer; o += 4)
                {
                    var x = dy + (o * plane) + ((long)c * inner);
                    var (s0, s1, s2, s3) = Sum4(x, x + plane, x + (2 * plane), x + (3 * plane), inner);
                    sum += s0;
                    sum += s1;
                    sum += s2;
                    sum += s3;
                }

                for (; o < outer; o++)
                {
                    var x = dy + (o * plane) + ((long)c * inner);
                    sum += Sum4(x, x, x, x, inner).Item1;
                }

                dBias[c] = (float)sum;
            }
        }

        private void Columns(int first, int end)
        {
            var c = first;
            for (; c + Vector256<float>.Count <= end; c += Vector256<float>.Count)
            {
                Vector256<double> low = default, high = default;
                for (var o = 0; o < outer; o++)
                {
                    var (l, h) = Vector256.Widen(Vector256.Load(dy + ((long)o * channels) + c));
                    low += l;
                    high += h;
                }

                Vector256.Narrow(low, high).Store(dBias + c);
            }

            for (; c < end; c++)
            {
                var sum = 0.0;
                for (var o = 0; o < outer; o++)
                {
                    sum += dy[((long)o * channels) + c];
                }

                dBias[c] = (float)sum;
            }
        }
    }

    // y[i] = act(x[i] + (bias is null ? b : bias[i])) for i in [0, length).
    private static void AddActivate(float* x, float* y, int length, float* bias, float b, bool relu)
    {
        var i = 0;
        var add = Vector256.Create(b);
        for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var v = Vector256.Load(x + i) + (bias == null ? add : Vector256.Load(bias + i));
            (relu ? Vector256.Max(v, Vector256<float>.Zero) : v).Store(y + i);
        }

        for (; i < length; i++)
        {
            var v = x[i] + (bias == null ? b : bias[i]);
            y[i] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    // Sums of four rows of one length at once: per row, vector lanes reduced once (Vector256.Sum), then the tail; rows
    // shorter than a vector skip straight to the tail. The last planes of a channel pass one row four times.
    private static (float, float, float, float) Sum4(float* x0, float* x1, float* x2, float* x3, int length)
    {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        var i = 0;
        if (length >= Vector256<float>.Count)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                a0 += Vector256.Load(x0 + i);
                a1 += Vector256.Load(x1 + i);
                a2 += Vector256.Load(x2 + i);
                a3 += Vector256.Load(x3 + i);
            }

            (s0, s1, s2, s3) = (Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
        }

        for (; i < length; i++)
        {
            s0 += x0[i];
            s1 += x1[i];
            s2 += x2[i];
            s3 += x3[i];
        }

        return (s0, s1, s2, s3);
    }
}
