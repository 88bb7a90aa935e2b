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
    public void EveryPathGivesTheSameConvolutionAndDataGradient(int c, int hw, int oc, int pad)
    {
        var shape = new Conv2dShape(3, c, hw, hw, oc, 5, 5, PadH: pad, PadW: pad);
        var x = TestData.Uniform(3 * c * hw * hw, 4);
        var w = TestData.Uniform(oc * c * 25, 5);
        var dy = TestData.Uniform(3 * oc * shape.OutH * shape.OutW, 6);
        AssertSamePerPath(backend =>
        {
            var (y, dx) = (backend.Put(new float[dy.Length]), backend.Put(new float[x.Length]));
            backend.Conv2dForward(shape, backend.Put(x), backend.Put(w), y);
            backend.Conv2dBackwardData(shape, backend.Put(dy), backend.Put(w), dx);
            return [.. backend.Get(y), .. backend.Get(dx)];
        });
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
