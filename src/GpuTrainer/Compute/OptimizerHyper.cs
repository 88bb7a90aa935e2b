namespace GpuTrainer.Compute;

/// <summary>
/// One fused SGD step over a whole arena, PyTorch's torch.optim.SGD semantics:
/// g = grad + WeightDecay * p;
/// if Momentum != 0: buf = FirstStep ? g : Momentum * buf + (1 - Dampening) * g;
///                   g = Nesterov ? g + Momentum * buf : buf;
/// p -= Lr * g.
/// </summary>
public readonly record struct SgdHyper(
    double Lr, double Momentum = 0, double Dampening = 0, bool Nesterov = false, double WeightDecay = 0, bool FirstStep = false);

/// <summary>
/// One fused Adam/AdamW step over a whole arena, PyTorch's torch.optim.Adam / AdamW semantics at step t (1-based):
/// coupled (Adam):    g = grad + WeightDecay * p
/// decoupled (AdamW): p = p * (1 - Lr * WeightDecay), g = grad
/// m = Beta1 m + (1-Beta1) g; v = Beta2 v + (1-Beta2) g^2;
/// p -= (Lr / (1 - Beta1^t)) * m / (sqrt(v) / sqrt(1 - Beta2^t) + Eps).
/// </summary>
public readonly record struct AdamHyper(
    double Lr, int Step, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0, bool Decoupled = false)
{
    /// <summary>Lr / (1 - Beta1^t), computed in double.</summary>
    public float StepSize => (float)(Lr / (1.0 - Math.Pow(Beta1, Step)));

    /// <summary>sqrt(1 - Beta2^t), computed in double.</summary>
    public float SqrtBias2 => (float)Math.Sqrt(1.0 - Math.Pow(Beta2, Step));
}
