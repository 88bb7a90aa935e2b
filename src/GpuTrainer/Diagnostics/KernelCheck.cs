using System.Globalization;

namespace GpuTrainer.Diagnostics;

/// <summary>The outcome of one operation checked on a device against the reference backend.</summary>
/// <param name="Name">Operation, e.g. "gemm NT" or "conv2d backward-weight".</param>
/// <param name="Shape">The shape it ran at, e.g. "M=512 N=384 K=640".</param>
/// <param name="MaxAbs">Largest |device - reference| over every output element (NaN when a NaN or infinity differs).</param>
/// <param name="MaxRel">Largest |device - reference| / max(|reference|, <see cref="KernelCheck.RelFloor"/>).</param>
/// <param name="Tolerance">The bound each element had to meet.</param>
/// <param name="Passed">Whether every element met it.</param>
public sealed record KernelCheck(string Name, string Shape, double MaxAbs, double MaxRel, Tolerance Tolerance, bool Passed)
{
    /// <summary>Relative errors divide by at least this, so that outputs near zero do not dominate.</summary>
    public const double RelFloor = 1e-3;

    /// <summary>The column header matching <see cref="ToString"/>.</summary>
    public static string Header => $"{"kernel",-30} {"shape",-44} {"max abs",10} {"max rel",10} {"atol",9} {"rtol",9}  result";

    /// <summary>One aligned line: name, shape, max abs and rel error, tolerance, PASS or FAIL.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name,-30} {Shape,-44} {MaxAbs,10:0.00E+00} {MaxRel,10:0.00E+00} {Tolerance.Atol,9:0.0E+00} {Tolerance.Rtol,9:0.0E+00}  {(Passed ? "PASS" : "FAIL")}");
}
