namespace GpuTrainer.Tests.Reference;

/// <summary>Seeded random inputs and tolerant comparisons shared by the tests.</summary>
public static class TestData
{
    /// <summary>Uniform floats in [lo, hi), from a fixed seed. Float values so backends and references see the same numbers.</summary>
    public static float[] Uniform(int count, int seed, float lo = -1f, float hi = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = lo + (float)random.NextDouble() * (hi - lo);
        }

        return values;
    }

    public static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);

    /// <summary>
    /// Asserts |actual - expected| &lt;= atol + rtol * |expected| element-wise, NaN and infinity compared
    /// explicitly, and names the worst element in the failure message.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        if (expected.Length != actual.Length)
        {
            throw new Xunit.Sdk.XunitException($"{what}: expected {expected.Length} values, got {actual.Length}.");
        }

        var worst = -1;
        var worstExcess = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) || double.IsNaN(a) || double.IsInfinity(e) || double.IsInfinity(a))
            {
                if (!e.Equals(a))
                {
                    throw new Xunit.Sdk.XunitException($"{what}[{i}]: expected {e}, got {a}.");
                }

                continue;
            }

            var excess = Math.Abs(a - e) - (atol + rtol * Math.Abs(e));
            if (excess > worstExcess)
            {
                (worst, worstExcess) = (i, excess);
            }
        }

        if (worst >= 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"{what}[{worst}]: expected {expected[worst]}, got {actual[worst]} (|diff| exceeds atol {atol} + rtol {rtol}*|ref| by {worstExcess:G3}).");
        }
    }
}
