using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>Which of the three convolution passes a <see cref="ConvWorkload"/> runs.</summary>
public enum ConvPass
{
    Forward,
    BackwardData,
    BackwardWeight,
}

/// <summary>One convolution pass; each does the forward pass's multiply-adds, so each counts <see cref="Conv2dShape.Flops"/>.</summary>
public sealed class ConvWorkload : Workload
{
    private readonly Conv2dShape _shape;
    private readonly ConvPass _pass;

    /// <param name="name">The layer, e.g. "conv1".</param>
    /// <param name="shape">input (N,C,H,W), weight (OC,C,KH,KW).</param>
    /// <param name="pass">Forward, backward-data or backward-weight.</param>
    public ConvWorkload(string name, Conv2dShape shape, ConvPass pass)
        : base(
            $"{name}-{PassKey(pass)}-n{shape.N}",
            $"{name} {PassKey(pass)} N={shape.N} {shape.C}->{shape.OC} {shape.KH}x{shape.KW} on {shape.H}x{shape.W}",
            shape.Flops,
            WorkUnit.Flops) => (_shape, _pass) = (shape, pass);

    public override PreparedRun Prepare(IBackend backend)
    {
        var operands = new Operands(backend);
        var s = _shape;
        var input = operands.Random(s.InputSize);
        var weight = operands.Random(s.WeightSize);
        var output = operands.Random(s.OutputSize);
        var result = _pass switch
        {
            ConvPass.Forward => operands.Zeros(s.OutputSize),
            ConvPass.BackwardData => operands.Zeros(s.InputSize),
            _ => operands.Zeros(s.WeightSize),
        };
        Action run = _pass switch
        {
            ConvPass.Forward => () => backend.Conv2dForward(s, input, weight, result),
            ConvPass.BackwardData => () => backend.Conv2dBackwardData(s, output, weight, result),
            _ => () => backend.Conv2dBackwardWeight(s, input, output, result),
        };
        return new PreparedRun(backend, run, () => operands.Read(result), operands);
    }

    private static string PassKey(ConvPass pass) => pass switch
    {
        ConvPass.Forward => "fwd",
        ConvPass.BackwardData => "bwd-data",
        _ => "bwd-weight",
    };
}
