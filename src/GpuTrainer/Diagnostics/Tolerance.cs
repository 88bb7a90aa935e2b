namespace GpuTrainer.Compute.SelfTest;

/// <summary>An element passes when |device - reference| &lt;= Atol + Rtol * |reference|.</summary>
public readonly record struct Tolerance(double Atol, double Rtol)
{
    /// <summary>Element-wise ops (copies, max, activations, optimizer updates): a few float32 roundings apart.</summary>
    public static Tolerance Elementwise { get; } = new(1e-6, 1e-5);

    /// <summary>Softmax and its loss: exp and log may differ by a few ulps between devices.</summary>
    public static Tolerance Softmax { get; } = new(1e-5, 1e-4);

    /// <summary>
    /// Sums of <paramref name="terms"/> products (GEMM, convolution, bias gradient, average pooling): different
    /// summation orders drift apart about like sqrt(terms), so atol = 1e-4 * sqrt(terms), rtol = 1e-4.
    /// </summary>
    public static Tolerance Sum(long terms) => new(1e-4 * Math.Sqrt(Math.Max(terms, 1)), 1e-4);
}
