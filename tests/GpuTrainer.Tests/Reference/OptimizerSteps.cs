using GpuTrainer.Compute;

namespace GpuTrainer.Tests.Reference;

/// <summary>One member's <see cref="IBackend.OptimizerStep"/> from a host-side hyperparameter record: a one-row table uploaded per call (tests only).</summary>
public static class OptimizerSteps
{
    /// <summary>An SGD step with <paramref name="momentum"/> as its buffer (never read without momentum).</summary>
    public static void SgdStep(this IBackend backend, Tensor parameters, Tensor gradients, Tensor momentum, in SgdHyper hyper)
    {
        var row = new float[OptimizerTable.RowFloats];
        OptimizerTable.Write(row, hyper);
        using var table = OptimizerTable.Upload(backend, row);
        backend.OptimizerStep(parameters, gradients, momentum, momentum, table.All);
    }

    /// <summary>An Adam/AdamW step.</summary>
    public static void AdamStep(this IBackend backend, Tensor parameters, Tensor gradients, Tensor m, Tensor v, in AdamHyper hyper)
    {
        var row = new float[OptimizerTable.RowFloats];
        OptimizerTable.Write(row, hyper);
        using var table = OptimizerTable.Upload(backend, row);
        backend.OptimizerStep(parameters, gradients, m, v, table.All);
    }
}
