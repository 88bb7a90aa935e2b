using GpuTrainer.Compute;

namespace GpuTrainer.Optim;

/// <summary>
/// SGD with PyTorch's semantics (momentum, dampening, Nesterov, L2 weight decay); see <see cref="SgdHyper"/>. It updates
/// arena views it does not own: the parameters (N), their gradients (N) and, with momentum, the momentum buffer (N).
/// </summary>
public sealed class Sgd : IOptimizer
{
    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly Tensor _momentumBuffer;

    /// <param name="parameters">The parameter arena (N), updated in place.</param>
    /// <param name="gradients">The gradient arena (N), on the same backend.</param>
    /// <param name="momentumBuffer">The momentum buffer (N) when <paramref name="momentum"/> &gt; 0; otherwise empty (never read).</param>
    /// <param name="momentum">Momentum in [0, 1).</param>
    /// <param name="dampening">Dampening in [0, 1].</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
    /// <param name="weightDecay">L2 weight decay in [0, 1].</param>
    public Sgd(Tensor parameters, Tensor gradients, Tensor momentumBuffer = default, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
    {
        OptimizerChecks.InRange(momentum, 0, 1, "momentum", upperInclusive: false);
        OptimizerChecks.InRange(dampening, 0, 1, "dampening", upperInclusive: true);
        OptimizerChecks.InRange(weightDecay, 0, 1, "weight decay", upperInclusive: true);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum above 0 and zero dampening.");
        }

        OptimizerChecks.Arenas(parameters, gradients, momentum > 0 ? [momentumBuffer] : []);
        (_parameters, _gradients, _momentumBuffer) = (parameters, gradients, momentum > 0 ? momentumBuffer : default);
        (Momentum, Dampening, Nesterov, WeightDecay) = (momentum, dampening, nesterov, weightDecay);
    }

    public string Name => "sgd";
    public double Momentum { get; }
    public double Dampening { get; }
    public bool Nesterov { get; }
    public double WeightDecay { get; }
    public long Steps { get; private set; }

    public void Step(double lr)
    {
        var hyper = new SgdHyper(lr, Momentum, Dampening, Nesterov, WeightDecay, FirstStep: Steps == 0);
        // Without momentum the buffer is never read; the gradient arena stands in for it.
        var buffer = _momentumBuffer.IsEmpty ? _gradients : _momentumBuffer;
        _parameters.Buffer.Owner.SgdStep(_parameters, _gradients, buffer, hyper);
        Steps++;
    }

    public void Reset() => Steps = 0;   // FirstStep overwrites the momentum buffer, so it needs no clearing.

    public OptimizerState SaveState() => OptimizerState.Capture(Steps, StateArenas);

    public void RestoreState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Apply(Name, StateArenas);
        Steps = state.Steps;
    }

    private Tensor[] StateArenas => _momentumBuffer.IsEmpty ? [] : [_momentumBuffer];
}
