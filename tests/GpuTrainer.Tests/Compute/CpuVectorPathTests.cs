using System.Runtime.Intrinsics.X86;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// The managed backend's GEMM paths (scalar, AVX2, AVX-512) sum every element in the same order with fused
/// multiply-adds, so on a CPU with FMA they agree bit for bit; here on shapes with full and partial 6x16 and 6x32
/// tiles, k longer than one 256-deep block, alpha and beta, and LeNet-5's convolutions.
/// </summary>
public sealed class CpuVectorPathTests
{
    public static TheoryData<int, int, int, bool, bool> GemmShapes => new()
    {
        { 50, 100, 300, false, false },
        { 50, 100, 300, true, true },
        { 13, 70, 7, false, true },
        { 6, 64, 25, true, false },
    };

    [Theory]
    [MemberData(nameof(GemmShapes))]
    public void EveryPathGivesTheSameGemm(int m, int n, int k, bool transA, bool transB)
    {
        var shape = new GemmShape(m, n, k, transA, transB);
        var (a, b, c) = (TestData.Uniform(m * k, 1), TestData.Uniform(k * n, 2), TestData.Uniform(m * n, 3));
        AssertSamePerPath(backend =>
        {
            var ct = backend.Put(c);
            backend.Gemm(shape, 0.75f, backend.Put(a), backend.Put(b), -0.5f, ct);
            return backend.Get(ct);
        });
    }

    [Theory]
    [InlineData(1, 28, 6, 2)]   // conv1: (N,1,28,28) -> (N,6,28,28)
    [InlineData(6, 14, 16, 0)]  // conv2: (N,6,14,14) -> (N,16,10,10)
    public void EveryPathGivesTheSameConvolution(int c, int hw, int oc, int pad)
    {
        var (shape, x, w, _) = Conv(c, hw, oc, pad);
        AssertSamePerPath(backend =>
        {
            var y = backend.Put(new float[shape.OutputSize]);
            backend.Conv2dForward(shape, backend.Put(x), backend.Put(w), y);
            return backend.Get(y);
        });
    }

    /// <summary>
    /// The data gradient's vector paths run CpuConvData (one FMA chain over (oc,kh,kw) per element; on AVX-512 whole
    /// blocks of 16 images through CpuConvDataImages, which skips the zero terms) and agree bit for bit; the scalar path
    /// keeps the GEMM + col2im yardstick, which sums in another order, so it agrees within rounding.
    /// </summary>
    [Theory]
    [InlineData(1, 28, 6, 2, 3)]
    [InlineData(6, 14, 16, 0, 3)]
    [InlineData(7, 15, 5, 1, 3)]    // 2 channel panels (6 + 1), odd rows (a last single row on AVX-512), 15 = 16 - 1 pixels
    [InlineData(6, 14, 16, 0, 32)]  // conv2: two blocks of 16 images on AVX-512
    [InlineData(7, 15, 5, 1, 19)]   // a block of 16 and 3 images left; 2 panels; an odd row's last pixel alone; padding
    public void EveryVectorPathGivesTheSameDataGradient(int c, int hw, int oc, int pad, int n)
    {
        var (shape, _, w, dy) = Conv(c, hw, oc, pad, n);
        float[] Run(CpuVectorPath path, int threads)
        {
            using var backend = new CpuBackend(threads, path);
            var dx = backend.Put(TestData.Uniform(shape.InputSize, 7));   // overwritten: start dirty
            backend.Conv2dBackwardData(shape, backend.Put(dy), backend.Put(w), dx);
            return backend.Get(dx);
        }

        var scalar = Run(CpuVectorPath.Scalar, 2);
        var avx2 = Run(CpuVectorPath.Avx2, 2);
        TestData.AssertClose(TestData.ToDouble(scalar), avx2, 1e-5, 1e-5, "AVX2 against the scalar yardstick");
        Assert.Equal(avx2, Run(CpuVectorPath.Avx2, 1));
        if (Fma.IsSupported)
        {
            Assert.Equal(avx2, Run(CpuVectorPath.Avx512, 2));   // bit for bit
            Assert.Equal(avx2, Run(CpuVectorPath.Avx512, 1));
        }
    }

    private static (Conv2dShape Shape, float[] X, float[] W, float[] Dy) Conv(int c, int hw, int oc, int pad, int n = 3)
    {
        var shape = new Conv2dShape(n, c, hw, hw, oc, 5, 5, PadH: pad, PadW: pad);
        return (shape, TestData.Uniform(shape.InputSize, 4), TestData.Uniform(shape.WeightSize, 5), TestData.Uniform(shape.OutputSize, 6));
    }

    /// <summary>Runs <paramref name="op"/> on a backend per path; the scalar path is the yardstick.</summary>
    private static void AssertSamePerPath(Func<IBackend, float[]> op)
    {
        float[] Run(CpuVectorPath path)
        {
            using var backend = new CpuBackend(2, path);
            return op(backend);
        }

        var scalar = Run(CpuVectorPath.Scalar);
        Assert.Contains(scalar, v => v != 0);
        foreach (var path in new[] { CpuVectorPath.Avx2, CpuVectorPath.Avx512 })
        {
            var result = Run(path);
            if (Fma.IsSupported)
            {
                Assert.Equal(scalar, result);   // bit for bit
            }
            else
            {
                TestData.AssertClose(TestData.ToDouble(scalar), result, 1e-5, 1e-5, path.ToString());
            }
        }
    }
}
