using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Optim;
using Xunit;

namespace GpuTrainer.Tests.Optim;

/// <summary>The optimizer over arena views: it updates the views it is given, keeps its state in its own, masks, and refuses what does not fit, naming the mismatch.</summary>
public sealed class OptimizerArenaTests
{
    [Fact]
    public void One_step_updates_an_sgd_and_an_adam_member_each_from_its_own_gradients()
    {
        using var backend = new CpuBackend(threads: 1);
        using var arena = backend.Allocate(4 * 7);   // parameters (2 members of 7), then gradients (2 x 7)
        var (p, g) = (arena.Slice(0, 7).ForMembers(2, 7), arena.Slice(14, 7).ForMembers(2, 7));
        backend.Upload([1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7], arena.Slice(0, 14));
        backend.Upload([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], arena.Slice(14, 14));
        using var optimizer = new Optimizer(p, g, [new OptimizerSettings(OptimizerKind.Sgd, Momentum: 0.5), new OptimizerSettings(OptimizerKind.Adam)]);

        // SGD with momentum 0.5 at lr 0.1: the first step sets buf = g and p -= 0.1 * g. Adam's first step moves every
        // parameter by lr (bias-corrected m/sqrt(v) = 1) with m = 0.1 g and v = 0.001 g^2.
        optimizer.Step(0.1, 0.01);
        Assert.Equal([0.9f, 1.9f, 2.9f, 3.9f, 4.9f, 5.9f, 6.9f], Download(backend, p.Member(0)));
        Assert.All(Download(backend, p.Member(1)).Zip([0.99f, 1.99f, 2.99f, 3.99f, 4.99f, 5.99f, 6.99f]), x => Assert.Equal(x.Second, x.First, 5));
        Assert.Equal(Enumerable.Repeat(1f, 7), optimizer.SaveState(0).Buffers[0]);
        Assert.Equal(Enumerable.Repeat(0.1f, 7), optimizer.SaveState(1).Buffers[0].Select(x => MathF.Round(x, 6)));
        Assert.Equal(Enumerable.Repeat(0.001f, 7), optimizer.SaveState(1).Buffers[1].Select(x => MathF.Round(x, 6)));
        Assert.Equal((1, 1), (optimizer.Steps(0), optimizer.Steps(1)));

        // A masked member stands still, state and step count included; the other goes on.
        optimizer.Mask(1);
        var before = Download(backend, p.Member(1));
        optimizer.Step(0.1, 0.01);
        Assert.Equal(before, Download(backend, p.Member(1)));
        Assert.Equal((2, 1), (optimizer.Steps(0), optimizer.Steps(1)));
        Assert.Equal([0.75f, 1.75f, 2.75f, 3.75f, 4.75f, 5.75f, 6.75f], Download(backend, p.Member(0)));   // buf = 0.5 + 1 = 1.5
    }

    [Fact]
    public void Planned_steps_run_one_per_call_and_no_more()
    {
        using var backend = new CpuBackend(threads: 1);
        using var arena = backend.Allocate(2);
        backend.Upload([1, 1], arena.All);
        using var optimizer = new Optimizer(arena.Slice(0, 1), arena.Slice(1, 1), [new OptimizerSettings(OptimizerKind.Sgd)]);
        optimizer.Plan([0.25, 0.5], 2);
        Assert.Throws<InvalidOperationException>(() => optimizer.Plan([0.1], 1));   // the plan has not run
        optimizer.Step();
        optimizer.Step();
        Assert.Equal([0.25f], Download(backend, arena.Slice(0, 1)));   // 1 - 0.25 - 0.5
        Assert.Throws<InvalidOperationException>(optimizer.Step);
    }

    [Fact]
    public void Arenas_and_settings_that_do_not_fit_are_refused_with_one_sentence()
    {
        using var backend = new CpuBackend(threads: 1);
        using var arena = backend.Allocate(40);
        var (p, g) = (arena.Slice(0, 10), arena.Slice(10, 10));
        OptimizerSettings[] sgd = [new(OptimizerKind.Sgd)];

        var shortGradient = Assert.Throws<ArgumentException>(() => new Optimizer(p, arena.Slice(10, 9), sgd));
        Assert.Contains("gradients has 9 elements", shortGradient.Message, StringComparison.Ordinal);
        var members = Assert.Throws<ArgumentException>(() => new Optimizer(p, g, [.. sgd, .. sgd]));
        Assert.Contains("2 optimizers", members.Message, StringComparison.Ordinal);
        var nesterov = Assert.Throws<ArgumentException>(() => new Optimizer(p, g, [new(OptimizerKind.Sgd, Nesterov: true)]));
        Assert.Contains("Nesterov", nesterov.Message, StringComparison.Ordinal);
        var momentum = Assert.Throws<ArgumentException>(() => new Optimizer(p, g, [new(OptimizerKind.Adam, Momentum: 0.9)]));
        Assert.Contains("SGD only", momentum.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Optimizer(p, g, [new(OptimizerKind.Adam, Beta2: 1)]));
        Assert.Throws<ArgumentException>(() => new Optimizer(p, g, [new(OptimizerKind.Adam, Eps: 0)]));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.0, 0)]
    [InlineData(OptimizerKind.Sgd, 0.9, 1)]
    [InlineData(OptimizerKind.Adam, 0.0, 2)]
    [InlineData(OptimizerKind.AdamW, 0.0, 2)]
    public void Each_optimizer_saves_the_state_arenas_torch_optim_keeps(OptimizerKind kind, double momentum, int arenas)
    {
        using var backend = new CpuBackend(threads: 1);
        using var arena = backend.Allocate(6);
        using var optimizer = new Optimizer(arena.Slice(0, 3), arena.Slice(3, 3), [new OptimizerSettings(kind, momentum)]);
        Assert.Equal(arenas, optimizer.SaveState(0).Buffers.Count);
    }

    private static float[] Download(IBackend backend, Tensor t)
    {
        var values = new float[t.Length];
        backend.Download(t, values);
        return values;
    }
}
