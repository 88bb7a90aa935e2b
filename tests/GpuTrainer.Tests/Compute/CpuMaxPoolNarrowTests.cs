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

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
