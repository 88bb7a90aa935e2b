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
/// The naive kernel variants (the yardsticks the backend does not launch) against the float64
/// <see cref="ReferenceBackend"/>; the tiled variants are covered through the backend by <see cref="IlgpuCpuBackendOpsTests"/>.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuKernelVariantTests(IlgpuCpuFixture fixture)
{
    private const double Atol = 2e-5, Rtol = 2e-4;

    private readonly ReferenceBackend _reference = new();

    private IlgpuBackend Backend => fixture.Backend;

    [Theory]
    [InlineData(7, 13, 9, false, false, 1)]
    [InlineData(7, 13, 9, true, true, 3)]
    [InlineData(33, 17, 65, true, false, 2)]
    [InlineData(20, 5, 3, false, true, 1)]
    public void Naive_gemm_matches_reference(int m, int n, int k, bool transA, bool transB, int batch)
    {
        var shape = new GemmShape(m, n, k, transA, transB, batch, m * k + 1, k * n + 2, m * n + 3);
        var a = TestData.Uniform((int)shape.ASize, 1);
        var b = TestData.Uniform((int)shape.BSize, 2);
        var c = TestData.Uniform((int)shape.CSize, 3);
        var expected = _reference.Put(c);
        _reference.Gemm(shape, 1.5f, _reference.Put(a), _reference.Put(b), 0.25f, expected);

        var ct = Backend.Put(c);
        RunNaive(new GemmOperands(View(Backend.Put(a)), View(Backend.Put(b)), View(ct), m, n, k, transA, transB, shape.StrideA, shape.StrideB, shape.StrideC, 1.5f, 0.25f), batch);

        TestData.AssertClose(_reference.Read(expected), Backend.Get(ct), Atol, Rtol, $"C {shape}");
    }

    [Fact]
    public void Naive_convolution_passes_match_reference()
    {
        var s = new Conv2dShape(N: 2, C: 3, H: 9, W: 8, OC: 4, KH: 3, KW: 4, StrideH: 2, StrideW: 1, PadH: 1, PadW: 2);
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

        RunNaive(new ConvForwardOperands(g, View(xt), View(wt), View(y)), 1);
        RunNaive(new ConvBackwardDataOperands(g, View(dyt), View(wt), View(dx)), 1);
        RunNaive(new ConvBackwardWeightOperands(g, s.N, View(xt), View(dyt), View(dw)), 1);

        TestData.AssertClose(_reference.Read(ry), Backend.Get(y), Atol, Rtol, "y");
        TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx), Atol, Rtol, "dx");
        TestData.AssertClose(_reference.Read(rdw), Backend.Get(dw), Atol, Rtol, "dw");
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

    private void RunNaive<TOperands>(TOperands operands, int batch)
        where TOperands : struct, IMatrixOperands
    {
        var kernel = Backend.Accelerator.LoadAutoGroupedStreamKernel<Index3D, TOperands>(GemmKernels.NaiveKernel);
        kernel(new Index3D(operands.Cols, operands.Rows, batch), operands);
    }

    private static ArrayView<float> View(Tensor t) => ((IlgpuBuffer)t.Buffer).Memory.View.SubView(t.Offset, t.Length).AsContiguous();
}
