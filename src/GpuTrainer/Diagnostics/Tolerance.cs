namespace GpuTrainer.Diagnostics;

/// <summary>
/// An element passes when |device - reference| &lt;= Atol + Rtol * |reference|. The reference is exact float64
/// arithmetic on the same float32 inputs, so the difference measured is the device's own float32 rounding
/// (unit roundoff u = 2^-24, about 6e-8), never two roundings against each other.
/// </summary>
public readonly record struct Tolerance(double Atol, double Rtol)
{
    /// <summary>Element-wise ops (copies, max, activations, optimizer updates): a few float32 roundings of a result of order 1.</summary>
    public static Tolerance Elementwise { get; } = new(1e-6, 1e-5);

    /// <summary>Softmax and its loss: float32 exp and log are a few ulps from float64's.</summary>
    public static Tolerance Softmax { get; } = new(1e-5, 1e-4);

    /// <summary>
    /// Sums of <paramref name="terms"/> products of inputs in [-1, 1) (GEMM, convolution, bias gradient, average
    /// pooling): atol = 1e-4 * sqrt(terms), rtol = 1e-4. The worst a correct float32 device does is a plain
    /// sequential sum, whose error against the exact sum grows about like 1e-8 * terms (simulated: largest error over
    /// a few trials 1.6e-5 at 640 terms, 1.05e-3 at 100,352, 9.2e-3 at 10^6), so this bound leaves it at least a
    /// factor 10 up to 10^6 terms (blocked and tree sums are far closer); the largest self-test sum has 100,352 terms.
    /// A wrong or missing product (about 0.25 on average) still exceeds it up to millions of terms.
    /// </summary>
    public static Tolerance Sum(long terms) => new(1e-4 * Math.Sqrt(Math.Max(terms, 1)), 1e-4);
}
