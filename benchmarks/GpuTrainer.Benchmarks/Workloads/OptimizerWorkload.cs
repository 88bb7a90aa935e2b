using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>
/// One fused optimizer step over an arena of <c>count</c> floats, counted in bytes moved:
/// SGD with momentum reads p, g, buf and writes p, buf (20 bytes a parameter); Adam reads p, g, m, v
/// and writes p, m, v (28 bytes a parameter).
/// </summary>
public sealed class OptimizerWorkload : Workload
{
    private readonly int _count;
    private readonly bool _adam;

    /// <param name="arena">The arena's name, e.g. "lenet".</param>
    /// <param name="count">Parameters in the arena.</param>
    /// <param name="adam">Adam instead of SGD with momentum.</param>
    public OptimizerWorkload(string arena, int count, bool adam)
        : base(
            $"{(adam ? "adam" : "sgd")}-{arena}",
            $"{(adam ? "adam" : "sgd momentum")} {count:N0} params",
            (adam ? 28.0 : 20.0) * count,
            WorkUnit.Bytes) => (_count, _adam) = (count, adam);

    public override PreparedRun Prepare(IBackend backend)
    {
        var operands = new Operands(backend);
        var p = operands.Random(_count);
        var g = operands.Random(_count);
        var state1 = operands.Zeros(_count);
        var state2 = operands.Zeros(_count);
        var row = new float[OptimizerTable.RowFloats];
        if (_adam)
        {
            OptimizerTable.Write(row, new AdamHyper(Lr: 1e-3, Step: 10));
        }
        else
        {
            OptimizerTable.Write(row, new SgdHyper(Lr: 1e-3, Momentum: 0.9));
        }

        var table = operands.Put(row);
        Action run = () => backend.OptimizerStep(p, g, state1, state2, table);
        return new PreparedRun(backend, run, () => operands.Read(p), operands);
    }
}
