using GpuTrainer.Compute;
using GpuTrainer.Compute.Reference;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// Every <see cref="IBackend"/> operation run once for the K = 3 members of a model (an odd count, so that two threads do
/// not split them evenly; each member's views at its own stride with a guarded gap after it, the input batch and labels
/// shared at stride 0 as the model passes them), on random inputs of awkward sizes. Each member's result must equal
/// the same backend's lone run of that member bit for bit (no reduction order may depend on K or on the other members),
/// and the float64 <see cref="ReferenceBackend"/>'s lone run within tolerance. Each backend runs this class through a
/// thin sealed subclass.
/// </summary>
public abstract class MemberOpsTests
{
    private const int Members = 3;
    private const double Atol = 2e-5, Rtol = 2e-4;

    private static readonly Conv2dShape Conv = new(N: 2, C: 3, H: 9, W: 7, OC: 5, KH: 3, KW: 3, StrideH: 2, StrideW: 1, PadH: 1, PadW: 1);
    private static readonly Conv2dShape ConvStride1 = new(N: 3, C: 2, H: 8, W: 7, OC: 4, KH: 3, KW: 3, PadH: 1, PadW: 1);
    private static readonly Pool2dShape Pool = new(2, 3, 7, 9, 2, 2, 2, 2, 0, 0);

    private readonly ReferenceBackend _reference = new();

    protected abstract IBackend Backend { get; }

    // One operand: a value per member, or one value every member shares (a view at stride 0).
    private sealed record Operand(float[][] Values, bool Shared = false)
    {
        public float[] Of(int k) => Values[Shared ? 0 : k];
    }

    private static Operand Each(int length, int seed, float lo = -1f, float hi = 1f) =>
        new([.. Enumerable.Range(0, Members).Select(k => TestData.Uniform(length, (seed * 10) + k, lo, hi))]);

    private static Operand Shared(float[] values) => new([values], Shared: true);

    /// <summary>
    /// Runs <paramref name="op"/> over every member at once, then over each member alone on the same backend and on the
    /// reference; checks <paramref name="outputs"/> (operand indices) bit for bit against the lone runs and closely against the reference.
    /// </summary>
    private void Check(Operand[] operands, int[] outputs, Action<IBackend, Tensor[]> op)
    {
        var grouped = operands.Select(o => o.Shared ? Backend.Put(o.Values[0]).Shared(Members) : MemberViews.Pack(Backend, o.Values)).ToArray();
        op(Backend, grouped);
        var results = outputs.Select(i => MemberViews.Unpack(Backend, grouped[i])).ToArray();
        for (var k = 0; k < Members; k++)
        {
            var lone = operands.Select(o => Backend.Put(o.Of(k))).ToArray();
            op(Backend, lone);
            var reference = operands.Select(o => _reference.Put(o.Of(k))).ToArray();
            op(_reference, reference);
            for (var j = 0; j < outputs.Length; j++)
            {
                var what = $"output {outputs[j]}, member {k}";
                Assert.True(
                    Backend.Get(lone[outputs[j]]).Select(BitConverter.SingleToInt32Bits).SequenceEqual(results[j][k].Select(BitConverter.SingleToInt32Bits)),
                    $"{what}: the member's result differs from its lone run");
                TestData.AssertClose(_reference.Read(reference[outputs[j]]), results[j][k], Atol, Rtol, what);
            }
        }
    }

    [Fact]
    public void Conv2d_forward_over_a_shared_input() =>
        Check([Shared(TestData.Uniform(Conv.InputSize, 1)), Each(Conv.WeightSize, 2), Each(Conv.OutputSize, 3)], [2],
            (b, t) => b.Conv2dForward(Conv, t[0], t[1], t[2]));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Conv2d_backward_data_and_weight(bool stride1)
    {
        var s = stride1 ? ConvStride1 : Conv;
        Check([Each(s.InputSize, 4), Each(s.WeightSize, 5), Each(s.OutputSize, 6), Each(s.InputSize, 7), Each(s.WeightSize, 8)], [3, 4], (b, t) =>
        {
            b.Conv2dBackwardData(s, t[2], t[1], t[3]);
            b.Conv2dBackwardWeight(s, t[0], t[2], t[4]);
        });
    }

    [Fact]
    public void Conv2d_fused_forward_and_backward_weight_with_bias() =>
        Check([Shared(TestData.Uniform(Conv.InputSize, 9)), Each(Conv.WeightSize, 10), Each(Conv.OC, 11), Each(Conv.OutputSize, 12), Each(Conv.WeightSize, 13), Each(Conv.OC, 14)],
            [3, 4, 5], (b, t) =>
            {
                b.Conv2dForwardBiasActivation(Conv, t[0], t[1], t[2], t[3], Activation.Relu);
                b.Conv2dBackwardWeightBias(Conv, t[0], t[3], t[4], t[5]);
            });

    // One GEMM per member, and a batched one (2 batches per member, B shared by its batches at stride 0).
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Gemm(int batch)
    {
        var shape = new GemmShape(13, 7, 19, TransB: true, Batch: batch, StrideA: 13 * 19 + 2, StrideB: 0, StrideC: 13 * 7 + 1);
        Check([Each((int)shape.ASize, 15), Each((int)shape.BSize, 16), Each((int)shape.CSize, 17)], [2], (b, t) => b.Gemm(shape, 0.5f, t[0], t[1], 0.25f, t[2]));
    }

    [Fact]
    public void Max_pooling_forward_backward_and_the_folded_relu_backward() =>
        Check([Each(Pool.InputSize, 18), Each(Pool.OutputSize, 19), Each(Pool.OutputSize, 20), Each(Pool.InputSize, 21), Each(Pool.InputSize, 22)], [1, 3, 4], (b, t) =>
        {
            b.MaxPoolForward(Pool, t[0], t[1]);
            b.MaxPoolBackward(Pool, t[0], t[2], t[3]);
            b.MaxPoolActivationBackward(Pool, t[0], t[2], t[4], Activation.Relu);
        });

    [Fact]
    public void Average_pooling_forward_and_backward() =>
        Check([Each(Pool.InputSize, 23), Each(Pool.OutputSize, 24), Each(Pool.OutputSize, 25), Each(Pool.InputSize, 26)], [1, 3], (b, t) =>
        {
            b.AvgPoolForward(Pool, t[0], t[1]);
            b.AvgPoolBackward(Pool, t[2], t[3]);
        });

    [Fact]
    public void Bias_activation_and_their_gradients()
    {
        const int outer = 3, channels = 5, inner = 7, count = outer * channels * inner;
        Check([Each(count, 27), Each(channels, 28), Each(count, 29), Each(count, 30), Each(count, 31), Each(channels, 32)], [2, 4, 5], (b, t) =>
        {
            b.BiasActivation(t[0], t[1], t[2], outer, channels, inner, Activation.Relu);
            b.ActivationBackward(t[2], t[3], t[4], count, Activation.Relu);
            b.BiasGradient(t[3], t[5], outer, channels, inner);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear_forward_and_backward(bool withDx)
    {
        const int batch = 11, inputs = 13, outputs = 6;
        Check(
            [Each(batch * inputs, 33), Each(outputs * inputs, 34), Each(outputs, 35), Each(batch * outputs, 36), Each(batch * outputs, 37),
             Each(outputs * inputs, 38), Each(outputs, 39), Each(batch * inputs, 40)],
            [3, 5, 6, 7], (b, t) =>
            {
                b.LinearForward(batch, inputs, outputs, t[0], t[1], t[2], t[3], Activation.Relu);
                b.LinearBackward(batch, inputs, outputs, t[0], t[1], t[4], t[5], t[6], withDx ? t[7] : default, Activation.Relu);
            });
    }

    [Fact]
    public void Softmax_cross_entropy_with_shared_labels()
    {
        const int rows = 11, classes = 7;
        var labels = Enumerable.Range(0, rows).Select(r => (float)(r * 3 % classes)).ToArray();
        var stats = new Operand([.. Enumerable.Range(0, Members).Select(k => new[] { k + 0.5f, k })]);
        Check([Each(rows * classes, 41, -4f, 4f), Shared(labels), Each(rows * classes, 42), stats], [2, 3],
            (b, t) => b.SoftmaxCrossEntropy(t[0], t[1], rows, classes, 0.25f, t[2], t[3]));
    }

    [Fact]
    public void One_optimizer_step_updates_each_member_by_its_own_row_and_leaves_a_skipped_one_alone()
    {
        const int count = 37;
        float[][] rows = [new float[OptimizerTable.RowFloats], new float[OptimizerTable.RowFloats], new float[OptimizerTable.RowFloats]];
        OptimizerTable.Write(rows[0], new SgdHyper(0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01));
        OptimizerTable.Write(rows[1], new AdamHyper(0.01, 3, Beta1: 0.8, Eps: 1e-6, WeightDecay: 0.1, Decoupled: true));
        OptimizerTable.WriteSkip(rows[2]);
        Check([Each(count, 43), Each(count, 44), Each(count, 45), Each(count, 46, 0f, 1f), new Operand(rows)], [0, 2, 3],
            (b, t) => b.OptimizerStep(t[0], t[1], t[2], t[3], t[4]));
    }

    [Fact]
    public void Fill_and_copy() =>
        Check([Each(29, 47), Each(29, 48)], [0, 1], (b, t) =>
        {
            b.Copy(t[0], t[1]);
            b.Fill(t[0].Slice(3, 11), 0.75f);
        });

    [Fact]
    public void Views_for_different_numbers_of_members_are_refused()
    {
        var a = Backend.Put(new float[8]).Slice(0, 4).ForMembers(2, 4);
        var b = Backend.Put(new float[12]).Slice(0, 4).ForMembers(3, 4);
        var ex = Assert.Throws<ArgumentException>(() => Backend.ActivationBackward(a, b, b, 4, Activation.Relu));
        Assert.Contains("same members", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>The member suite on the managed backend with two threads (members spread over them).</summary>
public sealed class CpuMemberOpsTests : MemberOpsTests
{
    protected override IBackend Backend { get; } = new GpuTrainer.Compute.Cpu.CpuBackend(threads: 2);
}

/// <summary>The member suite on ILGPU's CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuMemberOpsTests(IlgpuCpuFixture fixture) : MemberOpsTests
{
    protected override IBackend Backend => fixture.Backend;
}
