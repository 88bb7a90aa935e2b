using GpuTrainer.Compute;
using GpuTrainer.Nn;

namespace GpuTrainer.Optim;

/// <summary>One model's optimizer in a <see cref="GroupOptimizer"/>: what <see cref="Sgd"/> or <see cref="Adam"/> would be for it alone.</summary>
/// <param name="Adam">Adam (or AdamW) rather than SGD.</param>
/// <param name="Momentum">SGD's momentum, in [0, 1); 0 for Adam.</param>
/// <param name="WeightDecay">L2 (or, decoupled, AdamW's) weight decay, in [0, 1].</param>
/// <param name="Decoupled">AdamW's decoupled decay.</param>
public sealed record GroupMemberOptimizer(bool Adam, double Momentum = 0, double WeightDecay = 0, bool Decoupled = false)
{
    /// <summary>Throws <see cref="ArgumentException"/> as the single-model optimizers' constructors do.</summary>
    public void Validate()
    {
        OptimizerChecks.InRange(Momentum, 0, 1, "momentum", upperInclusive: false);
        OptimizerChecks.InRange(WeightDecay, 0, 1, "weight decay", upperInclusive: true);
        if (Adam && Momentum != 0)
        {
            throw new ArgumentException("Momentum applies to SGD only; Adam has its own moment estimates.");
        }
    }
}

/// <summary>
/// The optimizers of every model of a <see cref="ModelGroup"/> in ONE fused launch per step, SGD and Adam models
/// side by side: a per-model table (<see cref="GroupStepHyper"/>) carries each model's step kind, learning rate,
/// momentum, betas and weight decay. State: per model its step count, and two (K, P) arenas (SGD's momentum or
/// Adam's m; Adam's v). A masked model (it diverged) is skipped: its parameters and state stop changing.
/// Per model the step is exactly <see cref="Sgd.Step"/>'s or <see cref="Adam.Step"/>'s.
/// </summary>
public sealed class GroupOptimizer : IDisposable
{
    private readonly ModelGroup _group;
    private readonly GroupMemberOptimizer[] _members;
    private readonly long[] _steps;
    private readonly bool[] _masked;
    private readonly GroupStepHyper[] _table;
    private readonly DeviceBuffer _state1;
    private readonly DeviceBuffer? _state2;

    public GroupOptimizer(ModelGroup group, IReadOnlyList<GroupMemberOptimizer> members)
    {
        if (members.Count != group.Models)
        {
            throw new ArgumentException($"The group has {group.Models} models but {members.Count} optimizers were given.");
        }

        foreach (var member in members)
        {
            member.Validate();
        }

        _group = group;
        _members = [.. members];
        _steps = new long[members.Count];
        _masked = new bool[members.Count];
        _table = new GroupStepHyper[members.Count];
        _state1 = group.Backend.Allocate(group.Models * group.ParameterCount);
        _state2 = members.Any(m => m.Adam) ? group.Backend.Allocate(group.Models * group.ParameterCount) : null;
    }

    /// <summary>Steps model <paramref name="k"/> has taken.</summary>
    public long Steps(int k) => _steps[k];

    /// <summary>Model <paramref name="k"/>'s optimizer as its lone one names itself: "sgd", "adam" or "adamw".</summary>
    public string Name(int k) => _members[k] switch
    {
        { Adam: false } => "sgd",
        { Decoupled: true } => "adamw",
        _ => "adam",
    };

    /// <summary>Model <paramref name="k"/>'s state as its lone optimizer's <see cref="IOptimizer.SaveState"/> gives it (so checkpoints of either resume in the other).</summary>
    public OptimizerState SaveState(int k) => OptimizerState.Capture(_steps[k], StateArenas(k));

    /// <summary>Puts back model <paramref name="k"/>'s state, taken by <see cref="SaveState"/> or by its lone optimizer.</summary>
    public void RestoreState(int k, OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Apply(Name(k), StateArenas(k));
        _steps[k] = state.Steps;
    }

    // Model k's state arenas in its lone optimizer's order: Adam's m and v; SGD's momentum buffer when it has momentum.
    private Tensor[] StateArenas(int k) => _members[k] switch
    {
        { Adam: true } => [_group.Arenas(_state1).Model(k), _group.Arenas(_state2!).Model(k)],
        { Momentum: > 0 } => [_group.Arenas(_state1).Model(k)],
        _ => [],
    };

    /// <summary>True once <see cref="Mask"/> took model <paramref name="k"/> out.</summary>
    public bool IsMasked(int k) => _masked[k];

    /// <summary>Stops updating model <paramref name="k"/>; the others go on.</summary>
    public void Mask(int k) => _masked[k] = true;

    /// <summary>One update of every unmasked model, model k with learning rate lrs[k] (masked models' rates are ignored).</summary>
    public void Step(ReadOnlySpan<double> lrs)
    {
        if (lrs.Length != _members.Length)
        {
            throw new ArgumentException($"The group has {_members.Length} models but {lrs.Length} learning rates were given.");
        }

        for (var k = 0; k < _members.Length; k++)
        {
            var m = _members[k];
            if (_masked[k])
            {
                _table[k] = new GroupStepHyper(GroupStepKind.Skip);
            }
            else if (m.Adam)
            {
                _steps[k]++;
                _table[k] = new GroupStepHyper(GroupStepKind.Adam, Adam: new AdamHyper(lrs[k], checked((int)_steps[k]), WeightDecay: m.WeightDecay, Decoupled: m.Decoupled));
            }
            else
            {
                _table[k] = new GroupStepHyper(GroupStepKind.Sgd, Sgd: new SgdHyper(lrs[k], m.Momentum, WeightDecay: m.WeightDecay, FirstStep: _steps[k] == 0));
                _steps[k]++;
            }
        }

        var state1 = _group.Arenas(_state1);
        _group.Backend.GroupOptimizerStep(_group.Arenas(_group.Parameters), _group.Arenas(_group.Gradients), state1, _state2 is null ? state1 : _group.Arenas(_state2), _table);
    }

    public void Dispose()
    {
        _state1.Dispose();
        _state2?.Dispose();
    }
}
