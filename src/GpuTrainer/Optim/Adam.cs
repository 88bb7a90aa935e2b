using GpuTrainer.Compute;

namespace GpuTrainer.Optim;

/// <summary>
/// Adam (coupled L2 weight decay) or AdamW (decoupled), PyTorch's semantics with bias correction; see
/// <see cref="AdamHyper"/>. It updates arena views it does not own: the parameters (N), their gradients (N) and the
/// moment estimates m (N) and v (N), which start zeroed; its own state is the step count.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly Tensor _m;
    private readonly Tensor _v;

    /// <param name="parameters">The parameter arena (N), updated in place.</param>
    /// <param name="gradients">The gradient arena (N), on the same backend.</param>
    /// <param name="m">First moment estimates (N), zeroed before the first step.</param>
    /// <param name="v">Second moment estimates (N), zeroed before the first step.</param>
    /// <param name="beta1">Decay of m, in [0, 1).</param>
    /// <param name="beta2">Decay of v, in [0, 1).</param>
    /// <param name="eps">Added to sqrt(v); positive.</param>
    /// <param name="weightDecay">Weight decay in [0, 1].</param>
    /// <param name="decoupled">AdamW: decay the parameters directly instead of adding to the gradient.</param>
    public Adam(Tensor parameters, Tensor gradients, Tensor m, Tensor v, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupled = false)
    {
        OptimizerChecks.InRange(beta1, 0, 1, "beta1", upperInclusive: false);
        OptimizerChecks.InRange(beta2, 0, 1, "beta2", upperInclusive: false);
        OptimizerChecks.InRange(weightDecay, 0, 1, "weight decay", upperInclusive: true);
        if (!(eps > 0))
        {
            throw new ArgumentException($"Adam's eps must be positive, got {eps}.");
        }

        OptimizerChecks.Arenas(parameters, gradients, [m, v]);
        (_parameters, _gradients, _m, _v) = (parameters, gradients, m, v);
        (Beta1, Beta2, Eps, WeightDecay, Decoupled) = (beta1, beta2, eps, weightDecay, decoupled);
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
        _parameters.Buffer.Owner.AdamStep(_parameters, _gradients, _m, _v, hyper);
    }

    public void Reset()
    {
        Steps = 0;
        _m.Buffer.Owner.Fill(_m, 0f);
        _v.Buffer.Owner.Fill(_v, 0f);
    }

    public OptimizerState SaveState() => OptimizerState.Capture(Steps, _m, _v);

    public void RestoreState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Apply(Name, _m, _v);
        Steps = state.Steps;
    }
}
