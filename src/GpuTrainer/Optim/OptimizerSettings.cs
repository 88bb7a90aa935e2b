namespace GpuTrainer.Optim;

/// <summary>
/// One member's optimizer, as torch.optim would build it for that model alone: SGD (momentum, dampening, Nesterov,
/// L2 weight decay) or Adam/AdamW (betas, eps, coupled or decoupled weight decay). PyTorch's defaults.
/// </summary>
/// <param name="Kind">SGD, Adam or AdamW.</param>
/// <param name="Momentum">SGD's momentum, in [0, 1); 0 for Adam.</param>
/// <param name="Dampening">SGD's dampening, in [0, 1].</param>
/// <param name="Nesterov">SGD's Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
/// <param name="WeightDecay">L2 (SGD, Adam) or decoupled (AdamW) weight decay, in [0, 1].</param>
/// <param name="Beta1">Adam's first-moment decay, in [0, 1).</param>
/// <param name="Beta2">Adam's second-moment decay, in [0, 1).</param>
/// <param name="Eps">Adam's denominator epsilon, positive.</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind, double Momentum = 0, double Dampening = 0, bool Nesterov = false, double WeightDecay = 0,
    double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8)
{
    /// <summary>"sgd", "adam" or "adamw", as checkpoints name it.</summary>
    public string Name => Kind.ToString().ToLowerInvariant();

    /// <summary>Parameter-sized state arenas it keeps: SGD 1 with momentum, else 0; Adam and AdamW 2 (m, v).</summary>
    public int StateArenas => Kind == OptimizerKind.Sgd ? (Momentum > 0 ? 1 : 0) : 2;

    /// <summary>Throws <see cref="ArgumentException"/> with one sentence naming the first impossible value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown optimizer {Kind}.");
        }

        OptimizerChecks.InRange(Momentum, 0, 1, "momentum", upperInclusive: false);
        OptimizerChecks.InRange(Dampening, 0, 1, "dampening", upperInclusive: true);
        OptimizerChecks.InRange(WeightDecay, 0, 1, "weight decay", upperInclusive: true);
        OptimizerChecks.InRange(Beta1, 0, 1, "beta1", upperInclusive: false);
        OptimizerChecks.InRange(Beta2, 0, 1, "beta2", upperInclusive: false);
        if (Kind != OptimizerKind.Sgd && (Momentum != 0 || Dampening != 0 || Nesterov))
        {
            throw new ArgumentException("Momentum, dampening and Nesterov apply to SGD only; Adam has its own moment estimates.");
        }

        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum above 0 and zero dampening.");
        }

        if (!(Eps > 0))
        {
            throw new ArgumentException($"Adam's eps must be positive, got {Eps}.");
        }
    }
}
