using GpuTrainer.Compute;
using GpuTrainer.Nn;

namespace GpuTrainer.Optim;

/// <summary>SGD with PyTorch's semantics (momentum, dampening, Nesterov, L2 weight decay); see <see cref="SgdHyper"/>.</summary>
public sealed class Sgd : IOptimizer
{
    private readonly Sequential _model;
    private readonly DeviceBuffer? _momentumBuffer;

    public Sgd(Sequential model, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
    {
        OptimizerChecks.InRange(momentum, 0, 1, "momentum", upperInclusive: false);
        OptimizerChecks.InRange(dampening, 0, 1, "dampening", upperInclusive: true);
        OptimizerChecks.InRange(weightDecay, 0, 1, "weight decay", upperInclusive: true);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum above 0 and zero dampening.");
        }

        _model = model;
        (Momentum, Dampening, Nesterov, WeightDecay) = (momentum, dampening, nesterov, weightDecay);
        _momentumBuffer = momentum > 0 ? model.Backend.Allocate(model.ParameterCount) : null;
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
        var buffer = _momentumBuffer?.All ?? _model.Gradients.All;
        _model.Backend.SgdStep(_model.Parameters.All, _model.Gradients.All, buffer, hyper);
        Steps++;
    }

    public void Reset() => Steps = 0;   // FirstStep overwrites the momentum buffer, so it needs no clearing.

    public OptimizerState SaveState() => OptimizerState.Capture(Steps, StateBuffers);

    public void RestoreState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Apply(Name, StateBuffers);
        Steps = state.Steps;
    }

    public void Dispose() => _momentumBuffer?.Dispose();

    private DeviceBuffer[] StateBuffers => _momentumBuffer is null ? [] : [_momentumBuffer];
}
