using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>C (M,N) = op(A) op(B), beta = 0; 2*M*N*K floating-point operations.</summary>
public sealed class GemmWorkload : Workload
{
    private readonly GemmShape _shape;

    public GemmWorkload(GemmShape shape)
        : base(
            $"gemm-{shape.M}x{shape.N}x{shape.K}{(shape.TransA ? "-ta" : "")}{(shape.TransB ? "-tb" : "")}",
            $"{shape.M}x{shape.N}x{shape.K}{(shape.TransA ? " A^T" : "")}{(shape.TransB ? " B^T" : "")}",
            shape.Flops,
            WorkUnit.Flops) => _shape = shape;

    public override PreparedRun Prepare(IBackend backend)
    {
        var operands = new Operands(backend);
        var shape = _shape;
        var a = operands.Random(shape.ASize);
        var b = operands.Random(shape.BSize);
        var c = operands.Zeros(shape.CSize);
        return new PreparedRun(backend, () => backend.Gemm(shape, 1f, a, b, 0f, c), () => operands.Read(c), operands);
    }
}
