namespace GpuTrainer.Diagnostics;

/// <summary>Element-wise comparison of float32 device output with float64 reference output under an atol + rtol * |ref| bound.</summary>
internal sealed class Comparison(Tolerance tolerance)
{
    private bool _passed = true;

    public double MaxAbs { get; private set; }
    public double MaxRel { get; private set; }
    public bool Passed => _passed;

    /// <summary>Folds one more output tensor into the running maxima; NaN or infinity must match exactly.</summary>
    public void Add(ReadOnlySpan<double> reference, ReadOnlySpan<float> device)
    {
        if (reference.Length != device.Length)
        {
            throw new ArgumentException($"Cannot compare {reference.Length} reference values with {device.Length} device values.");
        }

        for (var i = 0; i < reference.Length; i++)
        {
            double r = reference[i], d = device[i];
            if (!double.IsFinite(r) || !double.IsFinite(d))
            {
                if (!r.Equals(d))
                {
                    (MaxAbs, MaxRel, _passed) = (double.NaN, double.NaN, false);
                }

                continue;
            }

            var diff = Math.Abs(d - r);
            MaxAbs = Math.Max(MaxAbs, diff);
            MaxRel = Math.Max(MaxRel, diff / Math.Max(Math.Abs(r), KernelCheck.RelFloor));
            _passed &= diff <= tolerance.Atol + tolerance.Rtol * Math.Abs(r);
        }
    }
}
