using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// The managed backend's 2x2 stride-2 max pool on rows of four to seven windows (Vector128, LeNet's 5-wide second
/// pool) against the plain rule, bit for bit: the first maximum in row-major order wins (inputs are quantised so that
/// ties are common), and its dx is 0 + dy (so a dy of -0 gives +0, as the scalar pass that adds into a cleared dx
/// gives); odd H and W leave an uncovered last row and column, which must come back zero.
/// </summary>
public sealed class CpuMaxPoolNarrowTests
{
    public static TheoryData<Pool2dShape> Shapes => new()
    {
        new Pool2dShape(N: 3, C: 5, H: 10, W: 10, KH: 2, KW: 2, StrideH: 2, StrideW: 2),   // 5 windows a row
        new Pool2dShape(N: 2, C: 3, H: 9, W: 13, KH: 2, KW: 2, StrideH: 2, StrideW: 2),    // 6, odd H and W
        new Pool2dShape(N: 1, C: 2, H: 8, W: 14, KH: 2, KW: 2, StrideH: 2, StrideW: 2),    // 7
        new Pool2dShape(N: 1, C: 1, H: 6, W: 8, KH: 2, KW: 2, StrideH: 2, StrideW: 2),     // 4, one step a row
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_and_backward_follow_the_first_maximum_bit_for_bit(Pool2dShape s)
    {
        var x = TestData.Uniform(s.InputSize, 30).Select(v => MathF.Round(v * 3) / 3).ToArray();
        var dy = TestData.Uniform(s.OutputSize, 31).Select((v, i) => i % 5 == 0 ? -0f : v).ToArray();
        var (expectedY, expectedDx) = (new float[s.OutputSize], new float[s.InputSize]);
        for (var plane = 0; plane < s.N * s.C; plane++)
        for (var oh = 0; oh < s.OutH; oh++)
        for (var ow = 0; ow < s.OutW; ow++)
        {
            var best = (plane * s.H + 2 * oh) * s.W + 2 * ow;
            foreach (var cell in new[] { best + 1, best + s.W, best + s.W + 1 })
            {
                best = x[cell] > x[best] ? cell : best;
            }

            var o = (plane * s.OutH + oh) * s.OutW + ow;
            expectedY[o] = x[best];
            expectedDx[best] = 0f + dy[o];
        }

        using var backend = new CpuBackend(2);
        var (xt, y, dx) = (backend.Put(x), backend.Put(new float[s.OutputSize]), backend.Put(TestData.Uniform(s.InputSize, 32)));
        backend.MaxPoolForward(s, xt, y);
        backend.MaxPoolBackward(s, xt, backend.Put(dy), dx);

        Assert.Equal(Bits(expectedY), Bits(backend.Get(y)));
        Assert.Equal(Bits(expectedDx), Bits(backend.Get(dx)));
        Assert.Contains(expectedDx, v => v != 0);
    }

    public static TheoryData<Pool2dShape> FusedShapes => new()
    {
        new Pool2dShape(N: 3, C: 5, H: 10, W: 10, KH: 2, KW: 2, StrideH: 2, StrideW: 2),   // narrow rows
        new Pool2dShape(N: 2, C: 3, H: 21, W: 17, KH: 2, KW: 2, StrideH: 2, StrideW: 2),   // 8 windows a step, odd H and W
        new Pool2dShape(N: 2, C: 2, H: 7, W: 9, KH: 3, KW: 2, StrideH: 2, StrideW: 1, PadH: 1), // the scalar scan
    };

    [Theory]
    [MemberData(nameof(FusedShapes))]
    public void The_fused_relu_backward_gives_the_bits_of_the_unfused_sequence(Pool2dShape s)
    {
        // ReLU outputs, 60% exactly 0 (one -0), so that whole windows are 0 and their winner's gradient is cut.
        var x = TestData.Uniform(s.InputSize, 33).Select((v, i) => i == 1 ? -0f : v < 0.2f ? 0f : MathF.Round(v * 3) / 3).ToArray();
        var dy = TestData.Uniform(s.OutputSize, 34);
        using var backend = new CpuBackend(2);
        Tensor xt = backend.Put(x), dyt = backend.Put(dy);
        var (fused, unfused) = (backend.Put(TestData.Uniform(s.InputSize, 35)), backend.Put(TestData.Uniform(s.InputSize, 36)));
        backend.MaxPoolActivationBackward(s, xt, dyt, fused, Activation.Relu);
        backend.MaxPoolBackward(s, xt, dyt, unfused);
        backend.ActivationBackward(xt, unfused, unfused, s.InputSize, Activation.Relu);

        var expected = backend.Get(unfused);
        Assert.Equal(Bits(expected), Bits(backend.Get(fused)));
        Assert.Contains(expected, v => v != 0);
        backend.MaxPoolBackward(s, xt, dyt, unfused);
        Assert.True(backend.Get(unfused).Where((v, i) => v != 0 && expected[i] == 0).Count() >= 3, "the ReLU cuts some winners' gradients");
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
