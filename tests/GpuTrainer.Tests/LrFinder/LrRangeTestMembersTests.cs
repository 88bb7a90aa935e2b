using GpuTrainer.Compute.Cpu;
using GpuTrainer.Data;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Tests.Training;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.LrFinder;

/// <summary>
/// The range tests of several optimizers as the members of one model must record, bit for bit on the managed backend, the curves and
/// pass evaluations of the same range tests run alone, also when members stop at different steps.
/// </summary>
public sealed class LrRangeTestMembersTests
{
    private static readonly MnistDataset Train = TinyMnist.Create(60, 1);
    private static readonly MnistDataset Test = TinyMnist.Create(20, 2);

    [Fact]
    public void Grouped_range_tests_record_the_curves_of_lone_ones()
    {
        var sweep = new LrSweepOptions { Start = 1e-4, End = 1e3, Steps = 40, SmoothingBeta = 0.7 };
        TrainingOptions[] members =
        [
            Options(OptimizerKind.Sgd, 0),
            Options(OptimizerKind.Adam, 0),
            Options(OptimizerKind.Sgd, 0.9),
        ];
        using var backend = new CpuBackend(threads: 2);
        var sinks = members.Select(_ => new RecordingSink()).ToArray();
        IReadOnlyList<LrRangeTestResult> grouped;
        using (var group = new Trainer(backend, members))
        {
            grouped = LrRangeTest.Run(group, Loader(true), Loader(false), sweep, sinks);
        }

        for (var k = 0; k < members.Length; k++)
        {
            using var trainer = new Trainer(backend, [members[k]]);
            var sink = new RecordingSink();
            var alone = LrRangeTest.Run(trainer, Loader(true), Loader(false), sweep, [sink])[0];
            Assert.Equal(alone.StopReason, grouped[k].StopReason);
            Assert.Equal(alone.Points, grouped[k].Points);
            Assert.Equal(alone.Passes, grouped[k].Passes);
            Assert.Equal(sink.Scalars, sinks[k].Scalars);
        }

        Assert.True(grouped.Select(r => r.Points.Count).Distinct().Count() > 1, "every member stopped at the same step: the masking went untested");
        Assert.Contains(grouped, r => r.Passes.Count > 0);
    }

    private static TrainingOptions Options(OptimizerKind optimizer, double momentum) =>
        new() { Optimizer = optimizer, Momentum = momentum, Schedule = new FixedLr(1), Epochs = 1, Batch = 8, Seed = 3 };

    private static BatchLoader Loader(bool shuffle) => new(shuffle ? Train : Test, 8, shuffle, seed: 3);
}
