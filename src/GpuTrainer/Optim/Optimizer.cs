using GpuTrainer.Compute;

namespace GpuTrainer.Optim;

/// <summary>
/// The optimizers of every member of a model (K &gt;= 1) in ONE fused launch per step (<see cref="IBackend.OptimizerStep"/>),
/// SGD and Adam members side by side, each with its full hyperparameters (<see cref="OptimizerSettings"/>): per member
/// exactly what torch.optim's SGD, Adam or AdamW does for that model alone. Each step's constants (learning rate, bias
/// corrections, first-step flag) are rows of a device table (<see cref="OptimizerTable"/>, K rows per step): the steps of a
/// stretch of training are planned at once (<see cref="Plan"/>, one upload), then each <see cref="Step"/> is one launch with
/// nothing uploaded. A masked member (it diverged) gets skip rows: its parameters and state stop changing.
/// State: per member its step count, and two (K, P) state arenas (SGD's momentum buffer or Adam's m; Adam's v), allocated
/// only when some member uses them. The parameter and gradient arenas are views the caller owns.
/// </summary>
public sealed class Optimizer : IDisposable
{
    private readonly IBackend _backend;
    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly OptimizerSettings[] _members;
    private readonly long[] _steps;
    private readonly bool[] _masked;
    private readonly DeviceBuffer? _state1;
    private readonly DeviceBuffer? _state2;
    private float[] _rows = [];
    private DeviceBuffer? _table;
    private int _planned;
    private int _next;

    /// <param name="parameters">Every member's parameter arena (K views of P), updated in place.</param>
    /// <param name="gradients">Every member's gradient arena (K views of P), on the same backend.</param>
    /// <param name="members">One optimizer per member, in member order.</param>
    public Optimizer(Tensor parameters, Tensor gradients, IReadOnlyList<OptimizerSettings> members)
    {
        OptimizerChecks.Arenas(parameters, gradients, []);
        if (members.Count != parameters.Members || gradients.Members != parameters.Members)
        {
            throw new ArgumentException(
                $"The arenas have {parameters.Members} and {gradients.Members} members but {members.Count} optimizers were given.");
        }

        foreach (var member in members)
        {
            member.Validate();
        }

        (_backend, _parameters, _gradients, _members) = (parameters.Buffer.Owner, parameters, gradients, [.. members]);
        _steps = new long[members.Count];
        _masked = new bool[members.Count];
        var arenas = members.Max(m => m.StateArenas);
        _state1 = arenas >= 1 ? _backend.Allocate(members.Count * parameters.Length) : null;
        _state2 = arenas >= 2 ? _backend.Allocate(members.Count * parameters.Length) : null;
    }

    /// <summary>K, the members.</summary>
    public int Members => _members.Length;

    /// <summary>Member <paramref name="k"/>'s optimizer as checkpoints name it: "sgd", "adam" or "adamw".</summary>
    public string Name(int k) => _members[k].Name;

    /// <summary>Steps member <paramref name="k"/> has taken (planned ones included).</summary>
    public long Steps(int k) => _steps[k];

    /// <summary>Stops (or, with <paramref name="masked"/> false, resumes) updating member <paramref name="k"/> from the next plan on; the others go on.</summary>
    public void Mask(int k, bool masked = true) => _masked[k] = masked;

    /// <summary>
    /// Plans the next <paramref name="steps"/> steps: member k's rate at step i is lrs[i * K + k] (a masked member's is
    /// ignored). Writes their table rows and uploads them at once; the steps then run one per <see cref="Step"/>.
    /// </summary>
    public void Plan(ReadOnlySpan<double> lrs, int steps)
    {
        var members = Members;
        if (steps < 1 || lrs.Length != steps * members)
        {
            throw new ArgumentException($"{steps} steps of {members} members need {steps * members} learning rates, got {lrs.Length}.");
        }

        if (_next != _planned)
        {
            throw new InvalidOperationException($"{_planned - _next} planned optimizer steps have not run.");
        }

        var floats = steps * members * OptimizerTable.RowFloats;
        if (_rows.Length < floats)
        {
            _rows = new float[floats];
            _table?.Dispose();
            _table = _backend.Allocate(floats);
        }

        for (var i = 0; i < steps; i++)
        {
            for (var k = 0; k < members; k++)
            {
                WriteRow(k, lrs[(i * members) + k], _rows.AsSpan(((i * members) + k) * OptimizerTable.RowFloats, OptimizerTable.RowFloats));
            }
        }

        _backend.Upload(_rows.AsSpan(0, floats), _table!.Slice(0, floats));
        (_planned, _next) = (steps, 0);
    }

    /// <summary>Runs the next planned step for every member: one launch, nothing uploaded.</summary>
    public void Step()
    {
        if (_next == _planned)
        {
            throw new InvalidOperationException("No optimizer step is planned; call Plan first.");
        }

        var table = OptimizerTable.Rows(_table!, _next * Members * OptimizerTable.RowFloats, Members);
        var state1 = _state1 is null ? _gradients : Arena(_state1);
        var state2 = _state2 is null ? state1 : Arena(_state2);
        _backend.OptimizerStep(_parameters, _gradients, state1, state2, table);
        _next++;
    }

    /// <summary>One step now, member k at rate lrs[k] (a plan of one step; for tests and single batches).</summary>
    public void Step(params ReadOnlySpan<double> lrs)
    {
        Plan(lrs, 1);
        Step();
    }

    /// <summary>A host copy of member <paramref name="k"/>'s state: its step count and state arenas (Adam's m and v; SGD's momentum buffer, if any).</summary>
    public OptimizerState SaveState(int k) => OptimizerState.Capture(_steps[k], StateArenas(k));

    /// <summary>Puts back member <paramref name="k"/>'s state taken by <see cref="SaveState"/> from an optimizer of the same kind and arena size.</summary>
    public void RestoreState(int k, OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Apply(Name(k), StateArenas(k));
        _steps[k] = state.Steps;
    }

    // Member k's row for its next step at rate lr; advances its step count.
    private void WriteRow(int k, double lr, Span<float> row)
    {
        var m = _members[k];
        if (_masked[k])
        {
            OptimizerTable.WriteSkip(row);
        }
        else if (m.Kind == OptimizerKind.Sgd)
        {
            OptimizerTable.Write(row, new SgdHyper(lr, m.Momentum, m.Dampening, m.Nesterov, m.WeightDecay, FirstStep: _steps[k] == 0));
            _steps[k]++;
        }
        else
        {
            _steps[k]++;
            OptimizerTable.Write(row, new AdamHyper(lr, checked((int)_steps[k]), m.Beta1, m.Beta2, m.Eps, m.WeightDecay, m.Kind == OptimizerKind.AdamW));
        }
    }

    private Tensor Arena(DeviceBuffer state) => new(state, 0, _parameters.Length, Members, _parameters.Length);

    // Member k's state arenas in torch.optim's order: Adam's m and v; SGD's momentum buffer when it has momentum.
    private Tensor[] StateArenas(int k) => _members[k].StateArenas switch
    {
        2 => [Arena(_state1!).Member(k), Arena(_state2!).Member(k)],
        1 => [Arena(_state1!).Member(k)],
        _ => [],
    };

    public void Dispose()
    {
        _state1?.Dispose();
        _state2?.Dispose();
        _table?.Dispose();
    }
}
