using GpuTrainer.Schedules;
using Xunit;

namespace GpuTrainer.Tests.Schedules;

/// <summary>
/// Bad parameters end in an <see cref="ArgumentException"/> whose message names the parameter, the allowed
/// range and the value; the factory's defaults and option checks do what its documentation says.
/// </summary>
public sealed class ScheduleValidationTests
{
    public static TheoryData<string, Func<ILrSchedule>> BadSchedules => new()
    {
        { "baseLr must be in (0, inf), got -0.1.", () => new StepLr(-0.1, 10) },
        { "baseLr must be in (0, inf), got NaN.", () => new FixedLr(double.NaN) },
        { "stepSize must be at least 1, got 0.", () => new StepLr(0.1, 0) },
        { "gamma must be in (0, 1], got 1.5.", () => new StepLr(0.1, 10, 1.5) },
        { "gamma must be in (0, 1], got 0.", () => new ExponentialLr(0.1, 0) },
        { "milestones must hold at least one step, got none.", () => new MultiStepLr(0.1, []) },
        { "milestones[0] must be at least 1, got 0.", () => new MultiStepLr(0.1, [0, 5]) },
        { "milestones[1] must be at least 11, got 10.", () => new MultiStepLr(0.1, [10, 10]) },
        { "tMax must be at least 1, got 0.", () => new CosineAnnealingLr(0.1, 0) },
        { "etaMin must be in [0, 0.1], got 0.2.", () => new CosineAnnealingLr(0.1, 10, 0.2) },
        { "t0 must be at least 1, got 0.", () => new CosineAnnealingWarmRestarts(0.1, 0) },
        { "tMult must be at least 1, got 0.", () => new CosineAnnealingWarmRestarts(0.1, 5, 0) },
        { "etaMin must be in [0, 0.1], got -1.", () => new CosineAnnealingWarmRestarts(0.1, 5, 1, -1) },
        { "totalIters must be at least 1, got 0.", () => new PolynomialLr(0.1, 0) },
        { "power must be in (0, inf), got 0.", () => new PolynomialLr(0.1, 10, 0) },
        { "maxLr must be in (0, inf), got 0.", () => new OneCycleLr(0, 100) },
        { "totalSteps must be at least 1, got 0.", () => new OneCycleLr(0.1, 0) },
        { "pctStart must be in [0, 1], got 1.5.", () => new OneCycleLr(0.1, 100, 1.5) },
        { "divFactor must be in (0, inf), got 0.", () => new OneCycleLr(0.1, 100, divFactor: 0) },
        { "finalDivFactor must be in (0, inf), got -1.", () => new OneCycleLr(0.1, 100, finalDivFactor: -1) },
        { "anneal must be Cos or Linear, got 7.", () => new OneCycleLr(0.1, 100, anneal: (OneCycleAnneal)7) },
        { "pctStart must leave each of the 2 phases at least one step, got pctStart 0.3 with totalSteps 3.", () => new OneCycleLr(0.1, 3) },
        { "pctStart must leave each of the 2 phases at least one step, got pctStart 1 with totalSteps 100.", () => new OneCycleLr(0.1, 100, 1) },
        { "pctStart must leave each of the 3 phases at least one step, got pctStart 0.6 with totalSteps 100.", () => new OneCycleLr(0.1, 100, 0.6, threePhase: true) },
        { "warmupSteps must be at least 1, got 0.", () => new LinearWarmup(new FixedLr(0.1), 0) },
        { "startFactor must be in (0, 1], got 0.", () => new LinearWarmup(new FixedLr(0.1), 5, 0) },
        { "startFactor must be in (0, 1], got 1.5.", () => new LinearWarmup(new FixedLr(0.1), 5, 1.5) },
        { "Unknown schedule 'cos'; expected one of fixed, step, multistep, exponential, cosine, cosine-restarts, poly, onecycle.", () => ScheduleFactory.Create("cos", 0.1, 100, new()) },
        { "Gamma does not apply to the 'cosine' schedule (it takes: TMax, EtaMin).", () => ScheduleFactory.Create("cosine", 0.1, 100, new() { Gamma = 0.5 }) },
        { "StepSize does not apply to the 'fixed' schedule (it takes: none).", () => ScheduleFactory.Create("fixed", 0.1, 100, new() { StepSize = 5 }) },
        { "totalSteps must be at least 1, got 0.", () => ScheduleFactory.Create("fixed", 0.1, 0, new()) },
        { "WarmupSteps must be in [0, 99], got 100.", () => ScheduleFactory.Create("cosine", 0.1, 100, new() { WarmupSteps = 100 }) },
        { "WarmupStartFactor applies only with WarmupSteps of at least 1.", () => ScheduleFactory.Create("step", 0.1, 100, new() { WarmupStartFactor = 0.1 }) },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void Bad_parameters_throw_a_message_naming_parameter_range_and_value(string message, Func<ILrSchedule> create)
    {
        var error = Assert.Throws<ArgumentException>(create);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Steps_outside_the_schedule_throw()
    {
        Assert.Equal("step must be at least 0, got -1.", Assert.Throws<ArgumentException>(() => new FixedLr(0.1).LearningRate(-1)).Message);
        Assert.Equal(
            "step must be at most totalSteps 100 for a one-cycle schedule, got 101.",
            Assert.Throws<ArgumentException>(() => new OneCycleLr(0.1, 100).LearningRate(101)).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1000)]
    public void Warm_restarts_stay_in_range_at_the_last_representable_step(long tMult)
    {
        var lr = new CosineAnnealingWarmRestarts(0.1, 3, tMult, 0.001).LearningRate(long.MaxValue);

        Assert.InRange(lr, 0.001, 0.1);
    }

    public static TheoryData<string, ScheduleOptions> OutOfRange => new()
    {
        { "step", new() { StepSize = 0 } },
        { "step", new() { Gamma = 1.5 } },
        { "multistep", new() { Milestones = [5, 5] } },
        { "exponential", new() { Gamma = 0 } },
        { "cosine", new() { TMax = 0 } },
        { "cosine", new() { EtaMin = 0.2 } },
        { "cosine-restarts", new() { T0 = 0 } },
        { "cosine-restarts", new() { TMult = 0 } },
        { "poly", new() { TotalIters = 0 } },
        { "poly", new() { Power = 0 } },
        { "onecycle", new() { TotalSteps = 0 } },
        { "onecycle", new() { PctStart = 1.5 } },
        { "onecycle", new() { DivFactor = -1 } },
        { "onecycle", new() { FinalDivFactor = 0 } },
        { "fixed", new() { WarmupSteps = 5, WarmupStartFactor = 0 } },
    };

    /// <summary>The check a request makes before the data gives the run's length agrees with the schedules' own constructors.</summary>
    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Check_refuses_without_a_length_what_create_refuses_at_any_length(string name, ScheduleOptions options)
    {
        var created = Assert.Throws<ArgumentException>(() => ScheduleFactory.Create(name, 0.1, 1000, options)).Message;

        Assert.Equal(created, Assert.Throws<ArgumentException>(() => ScheduleFactory.Check(name, 0.1, options)).Message);
    }

    [Fact]
    public void Factory_defaults_follow_the_decay_length()
    {
        var step = ScheduleFactory.Create("step", 0.1, 90, new());
        Assert.Equal(0.1, step.LearningRate(29));
        Assert.Equal(0.1 * ScheduleFactory.StepGamma, step.LearningRate(30), 15);   // the one StepLR gamma of runs, the factory and StepLr

        Assert.Equal(0.001, ScheduleFactory.Create("exponential", 0.1, 50, new()).LearningRate(50), 15);

        var cosine = ScheduleFactory.Create("cosine", 0.1, 100, new() { WarmupSteps = 10 });
        Assert.Equal(0.1 / 3, cosine.LearningRate(0), 15);
        Assert.Equal(0.1, cosine.LearningRate(10));
        Assert.Equal(0, cosine.LearningRate(100), 15);

        var multistep = ScheduleFactory.Create("multistep", 0.1, 2, new());
        Assert.Equal(0.01, multistep.LearningRate(1), 15);

        var onecycle = ScheduleFactory.Create("onecycle", 0.1, 100, new());
        Assert.Equal(0.004, onecycle.LearningRate(0), 15);
        Assert.Equal(0.1, onecycle.LearningRate(29), 6);
        Assert.Equal(0.004 / 1e4, onecycle.LearningRate(99), 15);
    }
}
