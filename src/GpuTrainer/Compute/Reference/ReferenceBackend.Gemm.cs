namespace GpuTrainer.Compute.Reference;

/// <summary>GEMM: one float64 dot product per output element.</summary>
public sealed partial class ReferenceBackend
{
    /// <summary>
    /// For each batch b: C[b] (M,N) = alpha * op(A[b]) (M,K) * op(B[b]) (K,N) + beta * C[b], where A[b] is stored
    /// (M,K), or (K,M) when TransA; B[b] is stored (K,N), or (N,K) when TransB (see <see cref="GemmShape"/>).
    /// beta = 0 ignores C's old contents, NaN included.
    /// Its gradients are GEMMs too: dA = dC op(B)^T, dB = op(A)^T dC (the layers call Gemm for them).
    /// </summary>
    protected override void GemmMember(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        var s = shape;
        s.Validate();
        var av = View(a, s.ASize, nameof(a));
        var bv = View(b, s.BSize, nameof(b));
        var cv = View(c, s.CSize, nameof(c));
        for (var batch = 0; batch < s.Batch; batch++)
        {
            long oa = batch * s.StrideA, ob = batch * s.StrideB, oc = batch * s.StrideC;
            for (var i = 0; i < s.M; i++)
            {
                for (var j = 0; j < s.N; j++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < s.K; k++)
                    {
                        var aik = s.TransA ? av[(int)(oa + (long)k * s.M + i)] : av[(int)(oa + (long)i * s.K + k)];
                        var bkj = s.TransB ? bv[(int)(ob + (long)j * s.K + k)] : bv[(int)(ob + (long)k * s.N + j)];
                        sum += aik * bkj;
                    }

                    var ij = (int)(oc + (long)i * s.N + j);
                    cv[ij] = alpha * sum + (beta == 0 ? 0 : beta * cv[ij]);
                }
            }
        }
    }
}
