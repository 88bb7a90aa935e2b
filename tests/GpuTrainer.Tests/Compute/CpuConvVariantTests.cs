using System.Runtime.Intrinsics.X86;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Compute.Reference;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// The managed backend's direct convolution forward variants (CpuConvDirect: by output rows, by output channels)
/// against the float64 reference and, bit for bit where the CPU has FMA, against the scalar path's im2col + GEMM, on
/// shapes chosen to reach every edge of them: channel counts that fill no tile (7, 20, 9), pixel tiles that span rows
/// and images, a k longer than one 256-deep block, stride 2, padding, N = 1 and images split unevenly across threads.
/// </summary>
public sealed class CpuConvVariantTests
{
    private static readonly Conv2dShape[] Cases =
    [
        // by rows: OW >= 16, OC = 7 (a panel of 6 and one of 1), padding, stride 2 down the rows, N = 3 on 2 threads
        new Conv2dShape(N: 3, C: 2, H: 21, W: 19, OC: 7, KH: 3, KW: 4, StrideH: 2, PadH: 1, PadW: 1),
        // by rows, N = 1, OW = 16 exactly (one tile per row)
        new Conv2dShape(N: 1, C: 1, H: 6, W: 20, OC: 6, KH: 2, KW: 5),
        // by channels: a 16-wide and an 8-wide block (OC = 20), stride 2, padding, 3 images over 2 threads
        new Conv2dShape(N: 3, C: 3, H: 9, W: 11, OC: 20, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 2),
        // by channels, k = 11*5*5 = 275 > 256 (two k-blocks added in order), OC = 9, N = 1
        new Conv2dShape(N: 1, C: 11, H: 7, W: 6, OC: 9, KH: 5, KW: 5, PadH: 1),
        // LeNet-5's conv2 with an odd batch
        new Conv2dShape(N: 5, C: 6, H: 14, W: 14, OC: 16, KH: 5, KW: 5),
    ];

    public static TheoryData<Conv2dShape> Shapes => new(Cases);

    // Backward-weight variant 2 (CpuConvWeight, OC a multiple of 8): a 16-wide and an 8-wide channel block, p blocks
    // that 6 and 12 do not divide, stride and padding, chunks of unequal size.
    private static readonly Conv2dShape[] WeightCases =
    [
        // OC = 24: one 16-wide and one 8-wide block; p = 2*3*4 = 24; stride 2 down the rows, padding; N = 19 > 16 chunks
        new Conv2dShape(N: 19, C: 2, H: 9, W: 8, OC: 24, KH: 3, KW: 4, StrideH: 2, PadH: 1, PadW: 2),
        // OC = 8 only; p = 3*2*3 = 18; stride 2 both ways; N = 1
        new Conv2dShape(N: 1, C: 3, H: 7, W: 9, OC: 8, KH: 2, KW: 3, StrideH: 2, StrideW: 2),
        // LeNet-5's conv2 (p = 150) with an odd batch
        new Conv2dShape(N: 5, C: 6, H: 14, W: 14, OC: 16, KH: 5, KW: 5),
        // An image's dy and input (18*18*24 + 2*20*20 floats) more than the L1 pass takes at once: every chunk of 2-3
        // images runs its tiles image by image, each tile's chains carried on through memory; both block widths
        new Conv2dShape(N: 40, C: 2, H: 20, W: 20, OC: 24, KH: 3, KW: 3),
    ];

    // Backward-weight variant 3 (CpuConvWeightRows, up to 12 channels, OW >= 16): LeNet-5's conv1 (p = 25, a last
    // single p on AVX-512); 7 channels (a block of 6 and one of 1), OW = 17 (a second segment with 15 idle lanes),
    // stride 2 down the rows, N = 19 > 16 chunks; 12 channels with a last block of 2 p.
    private static readonly Conv2dShape[] WeightRowCases =
    [
        new Conv2dShape(N: 3, C: 1, H: 28, W: 28, OC: 6, KH: 5, KW: 5, PadH: 2, PadW: 2),
        new Conv2dShape(N: 19, C: 3, H: 9, W: 19, OC: 7, KH: 3, KW: 3, StrideH: 2, PadH: 1),
        // 12 channels (two whole blocks), p = 8 (AVX-512 blocks of 3, 3, 2), N = 2
        new Conv2dShape(N: 2, C: 1, H: 5, W: 20, OC: 12, KH: 2, KW: 4),
    ];

    public static TheoryData<Conv2dShape> WeightShapes => new([.. WeightCases, .. WeightRowCases]);

    // Backward-weight variant 4 (CpuConvWeightSparse, variant 3's shapes with C*KH <= 5 and KW <= 8): LeNet-5's conv1
    // with N = 19 > 16 chunks; OW = 19 (a row's last vector overlaps the one before), 2 channels x 2 rows, KW = 7,
    // stride 2 down the rows, padding; KW = 8 (no lane past the taps), OW = 17, 12 channels, N = 2.
    private static readonly Conv2dShape[] SparseCases =
    [
        new Conv2dShape(N: 19, C: 1, H: 28, W: 28, OC: 6, KH: 5, KW: 5, PadH: 2, PadW: 2),
        new Conv2dShape(N: 5, C: 2, H: 9, W: 23, OC: 7, KH: 2, KW: 7, StrideH: 2, PadH: 1, PadW: 1),
        new Conv2dShape(N: 2, C: 1, H: 6, W: 24, OC: 12, KH: 3, KW: 8),
    ];

    public static TheoryData<Conv2dShape> SparseShapes => new(SparseCases);

    [Fact]
    public void The_first_two_shapes_go_by_rows_the_rest_by_channels_and_the_scalar_path_by_neither()
    {
        Assert.All(Cases, s => Assert.True(CpuConvDirect.Handles(s, CpuVectorPath.Avx2), $"{s}"));
        Assert.All(Cases, s => Assert.False(CpuConvDirect.Handles(s, CpuVectorPath.Scalar), $"{s}"));
        Assert.Equal([true, true, false, false, false], Cases.Select(s => CpuConvDirect.ByRows(s)));
    }

    [Theory]
    [MemberData(nameof(WeightShapes))]
    public void Backward_weight_matches_the_reference_and_is_the_same_on_every_vector_path_and_thread_count(Conv2dShape s)
    {
        Assert.True(CpuConvWeight.Handles(s, CpuVectorPath.Avx2) != WeightRowCases.Contains(s));
        Assert.True(CpuConvWeightRows.Handles(s, CpuVectorPath.Avx2) || !WeightRowCases.Contains(s));
        Assert.False(CpuConvWeight.Handles(s, CpuVectorPath.Scalar) || CpuConvWeightRows.Handles(s, CpuVectorPath.Scalar));
        AssertBackwardWeightEverywhere(s, TestData.Uniform(s.InputSize, 31), TestData.Uniform(s.OutputSize, 32));
    }

    // dy as behind a max-pool: about one in five nonzero (every image but the last); the last image's dy dense, so with
    // N <= 16 its chunk goes to variant 3 while the others take variant 4 and the partials of both are added.
    [Theory]
    [MemberData(nameof(SparseShapes))]
    public void Sparse_backward_weight_matches_the_reference_and_is_the_same_on_every_vector_path_and_thread_count(Conv2dShape s)
    {
        Assert.True(CpuConvWeightSparse.Handles(s, CpuVectorPath.Avx2) && CpuConvWeightSparse.Handles(s, CpuVectorPath.Avx512));
        Assert.False(CpuConvWeightSparse.Handles(s, CpuVectorPath.Scalar));
        var x = TestData.Uniform(s.InputSize, 41);
        var dense = s.OutputSize / s.N * (s.N - 1);
        var dy = TestData.Uniform(s.OutputSize, 42).Select((v, i) => i >= dense || (uint)(i * 2654435761u) % 5 == 0 ? v : 0f).ToArray();
        AssertBackwardWeightEverywhere(s, x, dy);
    }

    // dW of x and dy against the float64 reference on every path and thread count, and bit for bit the same on the
    // vector paths whatever the threads (every variant sums each element in an order that neither decides).
    private static void AssertBackwardWeightEverywhere(Conv2dShape s, float[] x, float[] dy)
    {
        var reference = new ReferenceBackend();
        var expected = reference.Put(new float[s.WeightSize]);
        reference.Conv2dBackwardWeight(s, reference.Put(x), reference.Put(dy), expected);

        float[] Run(CpuVectorPath path, int threads)
        {
            using var backend = new CpuBackend(threads, path);
            var dw = backend.Put(TestData.Uniform(s.WeightSize, 33));   // overwritten: start dirty
            backend.Conv2dBackwardWeight(s, backend.Put(x), backend.Put(dy), dw);
            return backend.Get(dw);
        }

        var avx2 = Run(CpuVectorPath.Avx2, 2);
        foreach (var (path, threads) in new[] { (CpuVectorPath.Scalar, 2), (CpuVectorPath.Avx2, 2), (CpuVectorPath.Avx2, 1), (CpuVectorPath.Avx512, 2), (CpuVectorPath.Avx512, 1) })
        {
            var result = Run(path, threads);
            TestData.AssertClose(reference.Read(expected), result, 2e-5, 2e-4, $"dW {s} {path} {threads} threads");
            if (Fma.IsSupported && path != CpuVectorPath.Scalar)
            {
                Assert.Equal(avx2, result);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_matches_the_reference_and_the_scalar_path_bit_for_bit(Conv2dShape s)
    {
        var (x, w) = (TestData.Uniform(s.InputSize, 21), TestData.Uniform(s.WeightSize, 22));
        var reference = new ReferenceBackend();
        var expected = reference.Put(new float[s.OutputSize]);
        reference.Conv2dForward(s, reference.Put(x), reference.Put(w), expected);

        float[] Run(CpuVectorPath path, int threads)
        {
            using var backend = new CpuBackend(threads, path);
            var y = backend.Put(TestData.Uniform(s.OutputSize, 23));   // overwritten: start dirty
            backend.Conv2dForward(s, backend.Put(x), backend.Put(w), y);
            return backend.Get(y);
        }

        var scalar = Run(CpuVectorPath.Scalar, 2);
        foreach (var (path, threads) in new[] { (CpuVectorPath.Avx2, 2), (CpuVectorPath.Avx2, 1), (CpuVectorPath.Avx512, 2) })
        {
            var result = Run(path, threads);
            TestData.AssertClose(reference.Read(expected), result, 2e-5, 2e-4, $"y {s} {path} {threads} threads");
            if (Fma.IsSupported)
            {
                Assert.Equal(scalar, result);   // bit for bit
            }
        }
    }
}
