using GpuTrainer.Compute;
using GpuTrainer.Compute.Reference;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// Every grouped <see cref="IBackend"/> operation against the float64 <see cref="ReferenceBackend"/>'s single-model
/// operation for each model, on random inputs of
/// awkward sizes for groups of 3 models (an odd count, so that two threads do not split them evenly), with the shared
/// input at stride 0 where the layer passes it so. Each backend runs this class through a thin sealed subclass.
/// </summary>
public abstract class GroupedOpsTests
{
    private const int Models = 3;
    private const double Atol = 2e-5, Rtol = 2e-4;

    private readonly ReferenceBackend _reference = new();

    protected abstract IBackend Backend { get; }

    // The float64 reference's result: `op` on the reference backend writing (or, from `initial`, updating) one view.
    private double[] Ref(float[] initial, Action<ReferenceBackend, Tensor> op)
    {
        var output = _reference.Put(initial);
        op(_reference, output);
        return _reference.Read(output);
    }

    private double[] Ref(int length, Action<ReferenceBackend, Tensor> op) => Ref(new float[length], op);

    private Tensor R(float[] values) => _reference.Put(values);

    private static readonly Conv2dShape Conv = new(N: 2, C: 3, H: 9, W: 7, OC: 5, KH: 3, KW: 3, StrideH: 2, StrideW: 1, PadH: 1, PadW: 1);

    private static float[][] Random(int length, int seed) => [.. Enumerable.Range(0, Models).Select(k => TestData.Uniform(length, seed * 10 + k))];

    private GroupTensor Shared(float[] values) => GroupTensor.Shared(Backend.Put(values), Models);

    private void Check(double[][] expected, GroupTensor actual, string what)
    {
        var got = ReferenceGrouped.Unpack(Backend, actual);
        for (var k = 0; k < Models; k++)
        {
            TestData.AssertClose(expected[k], got[k], Atol, Rtol, $"{what}, model {k}");
        }
    }

    [Fact]
    public void Conv2d_forward_over_a_shared_input_matches_each_models_reference()
    {
        var x = TestData.Uniform((int)((long)Conv.N * Conv.C * Conv.H * Conv.W), 1);
        var w = Random((int)Conv.WeightSize, 2);
        var y = ReferenceGrouped.Pack(Backend, Random(Conv.OutputSize, 3));
        Backend.GroupConv2dForward(Conv, Shared(x), ReferenceGrouped.Pack(Backend, w), y);
        Check(ReferenceGrouped.PerModel(Models, k => Ref(Conv.OutputSize, (r, y) => r.Conv2dForward(Conv, R(x), R(w[k]), y))), y, "y");
    }

    [Fact]
    public void Conv2d_backward_passes_match_each_models_reference()
    {
        var x = Random(Conv.N * Conv.C * Conv.H * Conv.W, 4);
        var w = Random((int)Conv.WeightSize, 5);
        var dy = Random(Conv.OutputSize, 6);
        var dx = ReferenceGrouped.Pack(Backend, Random(x[0].Length, 7));
        var dw = ReferenceGrouped.Pack(Backend, Random(w[0].Length, 8));
        var dyGroup = ReferenceGrouped.Pack(Backend, dy);
        Backend.GroupConv2dBackwardData(Conv, dyGroup, ReferenceGrouped.Pack(Backend, w), dx);
        Backend.GroupConv2dBackwardWeight(Conv, ReferenceGrouped.Pack(Backend, x), dyGroup, dw);
        Check(ReferenceGrouped.PerModel(Models, k => Ref(x[0].Length, (r, o) => r.Conv2dBackwardData(Conv, R(dy[k]), R(w[k]), o))), dx, "dx");
        Check(ReferenceGrouped.PerModel(Models, k => Ref(w[0].Length, (r, o) => r.Conv2dBackwardWeight(Conv, R(x[k]), R(dy[k]), o))), dw, "dw");
    }

    [Fact]
    public void Gemm_matches_each_models_reference()
    {
        var shape = new GemmShape(13, 7, 19, TransB: true);
        var a = Random((int)shape.ASize, 9);
        var b = Random((int)shape.BSize, 10);
        var c = Random((int)shape.CSize, 11);
        var cGroup = ReferenceGrouped.Pack(Backend, c);
        Backend.GroupGemm(shape, 0.5f, ReferenceGrouped.Pack(Backend, a), ReferenceGrouped.Pack(Backend, b), 0.25f, cGroup);
        Check(ReferenceGrouped.PerModel(Models, k => Ref(c[k], (r, o) => r.Gemm(shape, 0.5f, R(a[k]), R(b[k]), 0.25f, o))), cGroup, "c");
    }

    [Fact]
    public void Max_pooling_matches_each_models_reference()
    {
        var shape = new Pool2dShape(2, 3, 7, 9, 2, 2, 2, 2, 0, 0);
        var x = Random(shape.N * shape.C * shape.H * shape.W, 12);
        var dy = Random(shape.N * shape.C * shape.OutH * shape.OutW, 13);
        var xGroup = ReferenceGrouped.Pack(Backend, x);
        var y = ReferenceGrouped.Pack(Backend, Random(dy[0].Length, 14));
        var dx = ReferenceGrouped.Pack(Backend, Random(x[0].Length, 15));
        Backend.GroupMaxPoolForward(shape, xGroup, y);
        Backend.GroupMaxPoolBackward(shape, xGroup, ReferenceGrouped.Pack(Backend, dy), dx);
        Check(ReferenceGrouped.PerModel(Models, k => Ref(dy[0].Length, (r, o) => r.MaxPoolForward(shape, R(x[k]), o))), y, "y");
        Check(ReferenceGrouped.PerModel(Models, k => Ref(x[0].Length, (r, o) => r.MaxPoolBackward(shape, R(x[k]), R(dy[k]), o))), dx, "dx");
    }

    [Fact]
    public void Bias_activation_and_their_gradients_match_each_models_reference()
    {
        const int outer = 3, channels = 5, inner = 7, count = outer * channels * inner;
        var x = Random(count, 16);
        var bias = Random(channels, 17);
        var dy = Random(count, 18);
        var y = ReferenceGrouped.Pack(Backend, Random(count, 19));
        var dx = ReferenceGrouped.Pack(Backend, Random(count, 20));
        var dBias = ReferenceGrouped.Pack(Backend, Random(channels, 21));
        Backend.GroupBiasActivation(ReferenceGrouped.Pack(Backend, x), ReferenceGrouped.Pack(Backend, bias), y, outer, channels, inner, Activation.Relu);
        Backend.GroupActivationBackward(y, ReferenceGrouped.Pack(Backend, dy), dx, count, Activation.Relu);
        Backend.GroupBiasGradient(ReferenceGrouped.Pack(Backend, dy), dBias, outer, channels, inner);
        var yRef = Enumerable.Range(0, Models).Select(k =>
        {
            var o = R(new float[count]);
            _reference.BiasActivation(R(x[k]), R(bias[k]), o, outer, channels, inner, Activation.Relu);
            return o;
        }).ToArray();
        Check(ReferenceGrouped.PerModel(Models, k => _reference.Read(yRef[k])), y, "y");
        Check(ReferenceGrouped.PerModel(Models, k => Ref(count, (r, o) => r.ActivationBackward(yRef[k], R(dy[k]), o, count, Activation.Relu))), dx, "dx");
        Check(ReferenceGrouped.PerModel(Models, k => Ref(channels, (r, o) => r.BiasGradient(R(dy[k]), o, outer, channels, inner))), dBias, "dBias");
    }

    [Fact]
    public void Softmax_cross_entropy_with_shared_labels_matches_each_models_reference()
    {
        const int rows = 11, classes = 7;
        var logits = Random(rows * classes, 22);
        var labels = Enumerable.Range(0, rows).Select(r => (float)(r * 3 % classes)).ToArray();
        var dLogits = ReferenceGrouped.Pack(Backend, Random(rows * classes, 23));
        var stats = ReferenceGrouped.Pack(Backend, [.. Enumerable.Range(0, Models).Select(k => new[] { k + 0.5f, k })]);
        Backend.GroupSoftmaxCrossEntropy(ReferenceGrouped.Pack(Backend, logits), Shared(labels), rows, classes, 0.25f, dLogits, stats);
        var expectedDLogits = new double[Models][];
        var expectedStats = ReferenceGrouped.PerModel(Models, k => Ref([k + 0.5f, k], (r, o) =>
        {
            var d = R(new float[rows * classes]);
            r.SoftmaxCrossEntropy(R(logits[k]), R(labels), rows, classes, 0.25f, d, o);
            expectedDLogits[k] = r.Read(d);
        }));
        Check(expectedDLogits, dLogits, "dLogits");
        Check(expectedStats, stats, "stats");
    }

    [Fact]
    public void One_optimizer_step_updates_sgd_and_adam_models_by_their_own_rows_and_leaves_a_skipped_one_alone()
    {
        const int count = 37;
        var p = Random(count, 24);
        var g = Random(count, 25);
        var s1 = Random(count, 26);
        float[][] s2 = [.. Random(count, 27).Select(v => v.Select(Math.Abs).ToArray())];
        GroupStepHyper[] table =
        [
            new(GroupStepKind.Sgd, Sgd: new SgdHyper(0.1, Momentum: 0.9, WeightDecay: 0.01)),
            new(GroupStepKind.Adam, Adam: new AdamHyper(0.01, 3, WeightDecay: 0.1, Decoupled: true)),
            new(GroupStepKind.Skip),
        ];
        var (pg, s1g, s2g) = (ReferenceGrouped.Pack(Backend, p), ReferenceGrouped.Pack(Backend, s1), ReferenceGrouped.Pack(Backend, s2));
        Backend.GroupOptimizerStep(pg, ReferenceGrouped.Pack(Backend, g), s1g, s2g, table);

        var (ep, es1, es2) = (p.Select(R).ToArray(), s1.Select(R).ToArray(), s2.Select(R).ToArray());
        _reference.SgdStep(ep[0], R(g[0]), es1[0], table[0].Sgd);
        _reference.AdamStep(ep[1], R(g[1]), es1[1], es2[1], table[1].Adam);
        double[][] Read(Tensor[] views) => [.. views.Select(_reference.Read)];
        Check(Read(ep), pg, "parameters");
        Check(Read(es1), s1g, "momentum / m");
        Check(Read(es2), s2g, "v");
    }

    [Fact]
    public void Views_of_different_group_sizes_are_refused()
    {
        var a = new GroupTensor(Backend.Put(new float[8]).Slice(0, 4), 4, 2);
        var b = new GroupTensor(Backend.Put(new float[12]).Slice(0, 4), 4, 3);
        var ex = Assert.Throws<ArgumentException>(() => Backend.GroupActivationBackward(a.Prefix(4), b.Prefix(4), b.Prefix(4), 4, Activation.Relu));
        Assert.Contains("same number of models", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>The grouped suite on the managed backend with two threads (models spread over them).</summary>
public sealed class CpuGroupedOpsTests : GroupedOpsTests
{
    protected override IBackend Backend { get; } = new GpuTrainer.Compute.Cpu.CpuBackend(threads: 2);
}

/// <summary>The grouped suite on ILGPU's CPU accelerator.</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuGroupedOpsTests(IlgpuCpuFixture fixture) : GroupedOpsTests
{
    protected override IBackend Backend => fixture.Backend;
}
