using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>
/// Max-pooling forward (reads the input, writes the output) or backward (reads the input and dOutput,
/// writes dInput), counted in bytes moved at four bytes a float.
/// </summary>
public sealed class MaxPoolWorkload : Workload
{
    private readonly Pool2dShape _shape;
    private readonly bool _backward;

    /// <param name="name">The layer, e.g. "pool1".</param>
    /// <param name="shape">input (N,C,H,W), window and stride.</param>
    /// <param name="backward">Backward instead of forward.</param>
    public MaxPoolWorkload(string name, Pool2dShape shape, bool backward)
        : base(
            $"{name}-{(backward ? "bwd" : "fwd")}-n{shape.N}",
            $"{name} {(backward ? "bwd" : "fwd")} ({shape.N},{shape.C},{shape.H},{shape.W}) {shape.KH}x{shape.KW}/{shape.StrideH}",
            4.0 * (backward ? 2L * shape.InputSize + shape.OutputSize : (long)shape.InputSize + shape.OutputSize),
            WorkUnit.Bytes) => (_shape, _backward) = (shape, backward);

    public override PreparedRun Prepare(IBackend backend)
    {
        var operands = new Operands(backend);
        var s = _shape;
        var input = operands.Random(s.InputSize);
        var dOutput = operands.Random(s.OutputSize);
        var result = operands.Zeros(_backward ? s.InputSize : s.OutputSize);
        Action run = _backward
            ? () => backend.MaxPoolBackward(s, input, dOutput, result)
            : () => backend.MaxPoolForward(s, input, result);
        return new PreparedRun(backend, run, () => operands.Read(result), operands);
    }
}
