using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using GpuTrainer.Compute.Reference;
using GpuTrainer.Kernels;
using GpuTrainer.Tests.Reference;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// Every GEMM loop variant pinned, whatever shape the backend would pick for it (the naive yardsticks,
/// the tiled and both register-blocked loops), against the float64 reference backend on awkward sizes: edge
/// tiles in M, N and K, every transpose, batches. <see cref="IlgpuCpuBackendOpsTests"/> covers the backend's own choice.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuKernelVariantTests(IlgpuCpuFixture fixture)
{
    private const double Atol = 2e-5, Rtol = 2e-4;

    private readonly ReferenceBackend _reference = new();

    private IlgpuBackend Backend => fixture.Backend;

    /// <summary>Every GEMM loop variant.</summary>
    public static TheoryData<GemmVariant> Variants => [.. Enum.GetValues<GemmVariant>()];

    // Every variant through a GemmVariants of its own, pinned.
    private const int Naive = (int)GemmVariant.Naive;

    [Theory]
    [InlineData(Naive, 7, 13, 9, false, false, 1)]
    [InlineData(Naive, 7, 13, 9, true, true, 3)]
    [InlineData(Naive, 33, 17, 65, true, false, 2)]
    [InlineData(Naive, 20, 5, 3, false, true, 1)]
    [InlineData((int)GemmVariant.Tiled, 17, 18, 33, true, true, 2)]
    [InlineData((int)GemmVariant.Blocked64, 37, 70, 19, false, false, 2)]
    [InlineData((int)GemmVariant.Blocked64, 65, 33, 40, true, true, 1)]
    [InlineData((int)GemmVariant.Blocked64, 5, 66, 17, true, false, 1)]
    [InlineData((int)GemmVariant.Blocked64, 64, 3, 33, false, true, 1)]
    [InlineData((int)GemmVariant.Blocked64, 66, 65, 97, true, false, 1)]
    [InlineData((int)GemmVariant.Blocked128, 130, 129, 17, false, false, 1)]
    [InlineData((int)GemmVariant.Blocked128, 129, 7, 9, true, true, 2)]
    [InlineData((int)GemmVariant.Blocked128, 3, 131, 8, false, true, 1)]
    [InlineData((int)GemmVariant.Blocked128, 20, 21, 1, true, false, 1)]
    [InlineData((int)GemmVariant.Blocked128, 131, 130, 49, false, true, 1)]
    public void Gemm_variant_matches_reference(int variant, int m, int n, int k, bool transA, bool transB, int batch)
    {
        var shape = new GemmShape(m, n, k, transA, transB, batch, m * k + 1, k * n + 2, m * n + 3);
        var a = TestData.Uniform((int)shape.ASize, 1);
        var b = TestData.Uniform((int)shape.BSize, 2);
        var c = TestData.Uniform((int)shape.CSize, 3);
        var expected = _reference.Put(c);
        _reference.Gemm(shape, 1.5f, _reference.Put(a), _reference.Put(b), 0.25f, expected);

        var ct = Backend.Put(c);
        Run(variant, new GemmOperands(View(Backend.Put(a)), View(Backend.Put(b)), View(ct), m, n, k, transA, transB, shape.StrideA, shape.StrideB, shape.StrideC, 1.5f, 0.25f), batch);

        TestData.AssertClose(_reference.Read(expected), Backend.Get(ct), Atol, Rtol, $"variant {variant} C {shape}");
    }

    // Strided with padding on both sides (the tap-testing backward-data), and stride 1 (the flipped-kernel one).
    [Theory]
    [InlineData(Naive, 2)]
    [InlineData((int)GemmVariant.Blocked64, 2)]
    [InlineData((int)GemmVariant.Blocked128, 2)]
    [InlineData(Naive, 1)]
    [InlineData((int)GemmVariant.Tiled, 1)]
    [InlineData((int)GemmVariant.Blocked64, 1)]
    [InlineData((int)GemmVariant.Blocked128, 1)]
    public void Convolution_passes_match_reference(int variant, int strideH)
    {
        var s = new Conv2dShape(N: 2, C: 3, H: 9, W: 8, OC: 4, KH: 3, KW: 4, StrideH: strideH, StrideW: 1, PadH: 1, PadW: 2);
        var g = new ConvGeometry(s.N, s.C, s.H, s.W, s.OC, s.KH, s.KW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.OutH, s.OutW);
        var x = TestData.Uniform(s.InputSize, 10);
        var w = TestData.Uniform(s.WeightSize, 11);
        var dy = TestData.Uniform(s.OutputSize, 12);
        Tensor rx = _reference.Put(x), rw = _reference.Put(w), rdy = _reference.Put(dy);
        Tensor ry = _reference.Allocate(s.OutputSize).All, rdx = _reference.Allocate(s.InputSize).All, rdw = _reference.Allocate(s.WeightSize).All;
        _reference.Conv2dForward(s, rx, rw, ry);
        _reference.Conv2dBackwardData(s, rdy, rw, rdx);
        _reference.Conv2dBackwardWeight(s, rx, rdy, rdw);
        Tensor xt = Backend.Put(x), wt = Backend.Put(w), dyt = Backend.Put(dy);
        Tensor y = Backend.Put(new float[s.OutputSize]), dx = Backend.Put(new float[s.InputSize]), dw = Backend.Put(new float[s.WeightSize]);
        using var pixels = Backend.Accelerator.Allocate1D(ConvIndexTables.OutputPixels(g));
        using var patches = Backend.Accelerator.Allocate1D(ConvIndexTables.Patches(g));

        Run(variant, new ConvForwardOperands(g, pixels.View, patches.View, View(xt), View(wt), View(y)), 1);
        Run(variant, new ConvBackwardDataOperands(g, View(dyt), View(wt), View(dx)), 1);
        Run(variant, new ConvBackwardWeightOperands(g, s.N, pixels.View, patches.View, View(xt), View(dyt), View(dw)), 1);

        TestData.AssertClose(_reference.Read(ry), Backend.Get(y), Atol, Rtol, $"variant {variant} y");
        TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx), Atol, Rtol, $"variant {variant} dx");
        TestData.AssertClose(_reference.Read(rdw), Backend.Get(dw), Atol, Rtol, $"variant {variant} dw");
        if (strideH == 1)
        {
            using var inputPixels = Backend.Accelerator.Allocate1D(ConvIndexTables.InputPixels(g));
            using var taps = Backend.Accelerator.Allocate1D(ConvIndexTables.FlippedTaps(g));
            var dx1 = Backend.Put(new float[s.InputSize]);
            Run(variant, new ConvBackwardDataStride1Operands(g, inputPixels.View, taps.View, View(dyt), View(wt), View(dx1)), 1);
            TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx1), Atol, Rtol, $"variant {variant} dx (stride 1, flipped kernel)");
        }
    }

    // The fused GEMM-shaped ops (their operand structs and epilogues over each loop) through the backend with the loop
    // pinned, checked as the op suite checks them, at sizes with edge tiles everywhere and split-K partials: on this
    // accelerator the backend itself mostly picks the naive loop (GemmChoice), so this is where the GPU's loops run them.
    [Theory]
    [MemberData(nameof(Variants))]
    public void Fused_ops_match_reference_on_every_variant(GemmVariant variant)
    {
        var ops = new IlgpuCpuBackendOpsTests(fixture);
        Pinned(variant, () =>
        {
            ops.Linear_forward_with_bias_and_activation_matches_reference(130, 37, 70, Activation.Relu);
            ops.Linear_backward_writes_weight_bias_and_masked_input_gradients_like_reference(33, 65, 17, Activation.Relu);
            ops.Conv2d_forward_with_bias_and_relu_and_backward_weight_with_bias_match_reference(
                new Conv2dShape(N: 2, C: 3, H: 11, W: 9, OC: 5, KH: 5, KW: 3, StrideH: 2, StrideW: 1, PadH: 2, PadW: 1));
        });
    }

    // The GEMM-shaped ops over K = 3 members (every operand struct's ForMember: member strides, a shared input at stride
    // 0, split-K partials per member, LinearBackward's two batches per member) with each loop pinned: each member bit for
    // bit its lone run on the same loop, and close to the reference (MemberOpsTests.Check).
    [Theory]
    [MemberData(nameof(Variants))]
    public void Member_ops_equal_their_lone_runs_on_every_variant(GemmVariant variant)
    {
        var ops = new IlgpuCpuMemberOpsTests(fixture);
        Pinned(variant, () =>
        {
            ops.Gemm(1);
            ops.Gemm(2);
            ops.Conv2d_forward_over_a_shared_input();
            ops.Conv2d_backward_data_and_weight(stride1: false);
            ops.Conv2d_backward_data_and_weight(stride1: true);
            ops.Conv2d_fused_forward_and_backward_weight_with_bias();
            ops.Linear_forward_and_backward(withDx: true);
            ops.Linear_forward_and_backward(withDx: false);
        });
    }

    // Split-K backward-weight: 3 splits of 2 images over a batch of 5, so the last split is partly outside N.
    [Fact]
    public void Split_backward_weight_partials_sum_to_reference()
    {
        var s = new Conv2dShape(N: 5, C: 2, H: 7, W: 6, OC: 3, KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 0);
        var g = new ConvGeometry(s.N, s.C, s.H, s.W, s.OC, s.KH, s.KW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.OutH, s.OutW);
        var x = TestData.Uniform(s.InputSize, 20);
        var dy = TestData.Uniform(s.OutputSize, 21);
        var rdw = _reference.Allocate(s.WeightSize).All;
        _reference.Conv2dBackwardWeight(s, _reference.Put(x), _reference.Put(dy), rdw);
        var partials = Backend.Put(new float[3 * s.WeightSize]);
        using var pixels = Backend.Accelerator.Allocate1D(ConvIndexTables.OutputPixels(g));
        using var patches = Backend.Accelerator.Allocate1D(ConvIndexTables.Patches(g));

        Run((int)GemmVariant.Tiled, new ConvBackwardWeightOperands(g, 2, pixels.View, patches.View, View(Backend.Put(x)), View(Backend.Put(dy)), View(partials)), 3);

        var p = Backend.Get(partials);
        var sum = Enumerable.Range(0, s.WeightSize).Select(i => p[i] + p[s.WeightSize + i] + p[2 * s.WeightSize + i]).ToArray();
        TestData.AssertClose(_reference.Read(rdw), sum, Atol, Rtol, "dw from 3 split-K partials");
    }

    // Several groups per channel (the arrival counter and the ordered sum of partials): 4 slices of 5 x 700, 3 slices
    // of 2100 x 1 (inner 1: the (o, i) walk steps whole rows), and one slice. Run twice: the counters must be reset
    // and the result bit-identical.
    [Theory]
    [InlineData(5, 3, 700)]
    [InlineData(2100, 2, 1)]
    [InlineData(3, 7, 5)]
    public void Multi_group_bias_gradient_matches_reference_and_repeats_exactly(int outer, int channels, int inner)
    {
        var dy = TestData.Uniform(outer * channels * inner, 31);
        var expected = _reference.Allocate(channels).All;
        _reference.BiasGradient(_reference.Put(dy), expected, outer, channels, inner);
        var dyt = Backend.Put(dy);
        Tensor first = Backend.Put(new float[channels]), second = Backend.Put(new float[channels]);

        Backend.BiasGradient(dyt, first, outer, channels, inner);
        Backend.BiasGradient(dyt, second, outer, channels, inner);

        TestData.AssertClose(_reference.Read(expected), Backend.Get(first), 1e-4, Rtol, "db");
        Assert.Equal(Backend.Get(first), Backend.Get(second));
    }

    [Fact]
    public void Naive_bias_gradient_matches_reference()
    {
        const int outer = 5, channels = 7, inner = 11;
        var dy = TestData.Uniform(outer * channels * inner, 30);
        var db = Backend.Put(new float[channels]);
        var kernel = Backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(
            ReductionKernels.BiasGradientNaiveKernel);

        kernel(channels, View(Backend.Put(dy)), View(db), outer, inner);

        var expected = _reference.Allocate(channels).All;
        _reference.BiasGradient(_reference.Put(dy), expected, outer, channels, inner);
        TestData.AssertClose(_reference.Read(expected), Backend.Get(db), 1e-4, Rtol, "db");
    }

    // Runs `checks` with every GEMM-shaped launch of the backend pinned to `variant`.
    private void Pinned(GemmVariant variant, Action checks)
    {
        Backend.GemmChoice.Pinned = variant;
        try
        {
            checks();
        }
        finally
        {
            Backend.GemmChoice.Pinned = null;
        }
    }

    private void Run<TOperands>(int variant, TOperands operands, int batch)
        where TOperands : struct, IMatrixOperands<TOperands>
    {
        new GemmVariants<TOperands>(Backend.Accelerator, new LaunchMeter(), Backend.GemmChoice).Launch((GemmVariant)variant, operands, batch);
    }

    private static ArrayView<float> View(Tensor t) => ((IlgpuBuffer)t.Buffer).Memory.View.SubView(t.Offset, t.Length).AsContiguous();
}
