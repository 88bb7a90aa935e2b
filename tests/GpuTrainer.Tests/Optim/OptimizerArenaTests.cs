using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Optim;
using Xunit;

namespace GpuTrainer.Tests.Optim;

/// <summary>Optimizers over arena views: they update the views they are given, and refuse views that do not fit, naming the mismatch.</summary>
public sealed class OptimizerArenaTests
{
    [Fact]
    public void Optimizers_update_the_parameter_view_from_the_gradient_view_and_keep_state_in_theirs()
    {
        using var backend = new CpuBackend(threads: 1);
        using var arena = backend.Allocate(5 * 7);   // parameters, gradients, then 3 arenas of state, 7 floats each, at offsets
        var (p, g) = (arena.Slice(0, 7), arena.Slice(7, 7));
        backend.Upload([1, 2, 3, 4, 5, 6, 7], p);
        backend.Upload([1, 1, 1, 1, 1, 1, 1], g);

        // SGD with momentum 0.5 at lr 0.1: the first step sets buf = g and p -= 0.1 * g.
        var sgd = OptimizerFactory.Create(OptimizerKind.Sgd, p, g, arena.Slice(14, 7), momentum: 0.5, weightDecay: 0);
        sgd.Step(0.1);
        Assert.Equal([0.9f, 1.9f, 2.9f, 3.9f, 4.9f, 5.9f, 6.9f], Download(backend, p));
        Assert.Equal(Enumerable.Repeat(1f, 7), Download(backend, arena.Slice(14, 7)));

        // Adam's first step moves every parameter by lr (bias-corrected m/sqrt(v) = 1); m = 0.1 g, v = 0.001 g^2.
        var adam = OptimizerFactory.Create(OptimizerKind.Adam, p, g, arena.Slice(21, 14), momentum: 0, weightDecay: 0);
        adam.Step(0.01);
        Assert.All(Download(backend, p).Zip([0.89f, 1.89f, 2.89f, 3.89f, 4.89f, 5.89f, 6.89f]), x => Assert.Equal(x.Second, x.First, 5));
        Assert.Equal(Enumerable.Repeat(0.1f, 7), Download(backend, arena.Slice(21, 7)).Select(x => MathF.Round(x, 6)));
        Assert.Equal(Enumerable.Repeat(0.001f, 7), Download(backend, arena.Slice(28, 7)).Select(x => MathF.Round(x, 6)));
        Assert.Equal(Enumerable.Repeat(1f, 7), Download(backend, arena.Slice(14, 7)));   // SGD's state untouched
    }

    [Fact]
    public void Views_that_do_not_fit_the_parameters_are_refused_with_one_sentence()
    {
        using var backend = new CpuBackend(threads: 1);
        using var other = new CpuBackend(threads: 1);
        using var arena = backend.Allocate(40);
        using var foreign = other.Allocate(10);
        var (p, g) = (arena.Slice(0, 10), arena.Slice(10, 10));

        var shortGradient = Assert.Throws<ArgumentException>(() => new Sgd(p, arena.Slice(10, 9)));
        Assert.Contains("gradients has 9 elements", shortGradient.Message, StringComparison.Ordinal);
        var longState = Assert.Throws<ArgumentException>(() => new Adam(p, g, arena.Slice(20, 10), arena.Slice(30, 10 - 1)));
        Assert.Contains("state arena 1 has 9 elements", longState.Message, StringComparison.Ordinal);
        var elsewhere = Assert.Throws<ArgumentException>(() => new Sgd(p, g, foreign.All, momentum: 0.9));
        Assert.Contains("state arena 0", elsewhere.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Sgd(p, g, momentum: 0.9));   // momentum needs its buffer
        _ = new Sgd(p, g);   // without momentum there is no state
        Assert.Throws<ArgumentException>(() => OptimizerFactory.Create(OptimizerKind.AdamW, p, g, arena.Slice(20, 19), 0, 0));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.0, 0)]
    [InlineData(OptimizerKind.Sgd, 0.9, 1)]
    [InlineData(OptimizerKind.Adam, 0.0, 2)]
    [InlineData(OptimizerKind.AdamW, 0.0, 2)]
    public void The_factory_says_how_many_state_arenas_each_optimizer_keeps(OptimizerKind kind, double momentum, int arenas) =>
        Assert.Equal(arenas, OptimizerFactory.StateArenas(kind, momentum));

    private static float[] Download(IBackend backend, Tensor t)
    {
        var values = new float[t.Length];
        backend.Download(t, values);
        return values;
    }
}
