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

/// <summary>
/// One member's row of the device table an <see cref="IBackend.OptimizerStep"/> reads: <see cref="RowFloats"/> float32
/// values, every constant of the step precomputed on the host (in double, then rounded once), so each backend does the
/// same float32 arithmetic. The layout, by offset:
///   <see cref="Kind"/>        0 skip (a masked member: nothing changes), 1 SGD, 2 Adam/AdamW
///   <see cref="Lr"/>          the learning rate
///   <see cref="WeightDecay"/> L2 (SGD, Adam) or decoupled (AdamW) weight decay
///   SGD:  <see cref="Momentum"/>, <see cref="Undampened"/> = 1 - dampening, <see cref="Nesterov"/> (0/1), <see cref="FirstStep"/> (0/1)
///   Adam: <see cref="Beta1"/>, <see cref="OneMinusBeta1"/>, <see cref="Beta2"/>, <see cref="OneMinusBeta2"/>, <see cref="StepSize"/> = lr / (1 - beta1^t),
///         <see cref="SqrtBias2"/> = sqrt(1 - beta2^t), <see cref="Eps"/>, <see cref="Decay"/> = 1 - lr * wd, <see cref="Decoupled"/> (0/1)
/// </summary>
public static class OptimizerTable
{
    /// <summary>Floats per row.</summary>
    public const int RowFloats = 16;

    /// <summary>Offsets of the row's values.</summary>
    public const int Kind = 0, Lr = 1, WeightDecay = 2,
        Momentum = 3, Undampened = 4, Nesterov = 5, FirstStep = 6,
        Beta1 = 3, OneMinusBeta1 = 4, Beta2 = 5, OneMinusBeta2 = 6, StepSize = 7, SqrtBias2 = 8, Eps = 9, Decay = 10, Decoupled = 11;

    /// <summary>Row kinds.</summary>
    public const float SkipKind = 0, SgdKind = 1, AdamKind = 2;

    /// <summary>A masked member's row: the step leaves its parameters and state as they are.</summary>
    public static void WriteSkip(Span<float> row) => Row(row).Clear();

    /// <summary>An SGD step's row.</summary>
    public static void Write(Span<float> row, in SgdHyper h)
    {
        Row(row).Clear();
        row[Kind] = SgdKind;
        row[Lr] = (float)h.Lr;
        row[WeightDecay] = (float)h.WeightDecay;
        row[Momentum] = (float)h.Momentum;
        row[Undampened] = (float)(1 - h.Dampening);
        row[Nesterov] = h.Nesterov ? 1 : 0;
        row[FirstStep] = h.FirstStep ? 1 : 0;
    }

    /// <summary>An Adam or AdamW step's row.</summary>
    public static void Write(Span<float> row, in AdamHyper h)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h.Step);
        Row(row).Clear();
        row[Kind] = AdamKind;
        row[Lr] = (float)h.Lr;
        row[WeightDecay] = (float)h.WeightDecay;
        row[Beta1] = (float)h.Beta1;
        row[OneMinusBeta1] = (float)(1 - h.Beta1);
        row[Beta2] = (float)h.Beta2;
        row[OneMinusBeta2] = (float)(1 - h.Beta2);
        row[StepSize] = h.StepSize;
        row[SqrtBias2] = h.SqrtBias2;
        row[Eps] = (float)h.Eps;
        row[Decay] = (float)(1 - (h.Lr * h.WeightDecay));
        row[Decoupled] = h.Decoupled ? 1 : 0;
    }

    /// <summary>A table for one step of one member, uploaded to <paramref name="backend"/> (tests, benchmarks, selftest).</summary>
    public static DeviceBuffer Upload(IBackend backend, ReadOnlySpan<float> rows)
    {
        var table = backend.Allocate(rows.Length);
        backend.Upload(rows, table.All);
        return table;
    }

    /// <summary>The table view of <paramref name="members"/> rows back to back from <paramref name="offset"/>.</summary>
    public static Tensor Rows(DeviceBuffer table, int offset, int members) => new(table, offset, RowFloats, members, RowFloats);

    /// <summary>
    /// The checks every backend makes of an <see cref="IBackend.OptimizerStep"/>: gradients and both state arenas as long as
    /// the parameters, and a table row of at least <see cref="RowFloats"/> floats per member.
    /// </summary>
    public static void Check(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor table)
    {
        parameters.Require(1, nameof(parameters));
        SameLength(gradients, parameters, nameof(gradients));
        SameLength(state1, parameters, nameof(state1));
        SameLength(state2, parameters, nameof(state2));
        table.Require(RowFloats, nameof(table));
    }

    private static void SameLength(Tensor arena, Tensor parameters, string name)
    {
        if (arena.Length != parameters.Length || arena.IsEmpty)
        {
            throw new ArgumentException($"The optimizer's {name} has {arena.Length} elements but the parameters have {parameters.Length}.", name);
        }
    }

    private static Span<float> Row(Span<float> row) => row.Length >= RowFloats
        ? row[..RowFloats]
        : throw new ArgumentException($"An optimizer table row has {RowFloats} floats, got {row.Length}.", nameof(row));
}
