using GpuTrainer.Compute;
using GpuTrainer.Nn;

namespace GpuTrainer.Optim;

/// <summary>
/// Adam (coupled L2 weight decay) or AdamW (decoupled), PyTorch's semantics with bias correction;
/// see <see cref="AdamHyper"/>. State: the step count and the m and v arenas.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly Sequential _model;
    private readonly DeviceBuffer _m;
    private readonly DeviceBuffer _v;

    public Adam(Sequential model, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupled = false)
    {
        OptimizerChecks.InRange(beta1, 0, 1, "beta1", upperInclusive: false);
        OptimizerChecks.InRange(beta2, 0, 1, "beta2", upperInclusive: false);
        OptimizerChecks.InRange(weightDecay, 0, 1, "weight decay", upperInclusive: true);
        if (!(eps > 0))
        {
            throw new ArgumentException($"Adam's eps must be positive, got {eps}.");
        }

        _model = model;
        (Beta1, Beta2, Eps, WeightDecay, Decoupled) = (beta1, beta2, eps, weightDecay, decoupled);
        _m = model.Backend.Allocate(model.ParameterCount);
        _v = model.Backend.Allocate(model.ParameterCount);
    }

    public string Name => Decoupled ? "adamw" : "adam";
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public bool Decoupled { get; }
    public long Steps { get; private set; }

    public void Step(double lr)
    {
        Steps++;
        var hyper = new AdamHyper(lr, checked((int)Steps), Beta1, Beta2, Eps, WeightDecay, Decoupled);
        _model.Backend.AdamStep(_model.Parameters.All, _model.Gradients.All, _m.All, _v.All, hyper);
    }

    public void Reset()
    {
        Steps = 0;
        _model.Backend.Fill(_m.All, 0f);
        _model.Backend.Fill(_v.All, 0f);
    }

    public OptimizerState SaveState() => OptimizerState.Capture(Steps, _m, _v);

    public void RestoreState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Apply(Name, _m, _v);
        Steps = state.Steps;
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
    }
}
