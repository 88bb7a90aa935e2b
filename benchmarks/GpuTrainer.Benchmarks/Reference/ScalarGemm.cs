using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Reference;

/// <summary>The scalar GEMM yardstick: C[b] (M,N) = alpha * op(A[b]) (M,K) op(B[b]) (K,N) + beta * C[b], one dot product per element.</summary>
internal static class ScalarGemm
{
    public static void Run(in GemmShape s, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        for (var batch = 0; batch < s.Batch; batch++)
        {
            var oa = (int)(batch * s.StrideA);
            var ob = (int)(batch * s.StrideB);
            var oc = (int)(batch * s.StrideC);
            for (var i = 0; i < s.M; i++)
            {
                for (var j = 0; j < s.N; j++)
                {
                    var sum = 0f;
                    for (var k = 0; k < s.K; k++)
                    {
                        var av = s.TransA ? a[oa + k * s.M + i] : a[oa + i * s.K + k];
                        var bv = s.TransB ? b[ob + j * s.K + k] : b[ob + k * s.N + j];
                        sum += av * bv;
                    }

                    ref var cij = ref c[oc + i * s.N + j];
                    cij = alpha * sum + (beta == 0 ? 0 : beta * cij);
                }
            }
        }
    }
}
