using System.Globalization;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The reference study, the hand-run PyTorch learning-rate study of LeNet-5 on full MNIST that this tool automates:
/// its recipe (the defaults of <c>run</c>, <c>lr-find</c> and <c>study</c>) and its results, the one place both are kept.
/// <para>
/// Recipe: batch 128, 30 epochs; range test 1e-6 to 1 exponentially over 2,345 steps (five epochs of 60,000 images);
/// SGD and Adam, each fixed and with StepLR(step_size=500, gamma=0.5) stepped after every batch; 4 candidates per
/// optimizer. Results: the candidates and the rate picked per optimizer and schedule, best test accuracy about 98.9%.
/// </para>
/// </summary>
public static class ReferenceStudy
{
    /// <summary>Its name as a study's recipe (<c>study --recipe reference</c>).</summary>
    public const string RecipeName = "reference";

    /// <summary>Batch size.</summary>
    public const int Batch = 128;

    /// <summary>Epochs of every run.</summary>
    public const int Epochs = 30;

    /// <summary>The range test's first rate.</summary>
    public const double SweepStart = 1e-6;

    /// <summary>The range test's last rate.</summary>
    public const double SweepEnd = 1;

    /// <summary>The range test's steps (batches), exponentially spaced rates.</summary>
    public const int SweepSteps = 2345;

    /// <summary>Candidate rates per optimizer.</summary>
    public const int Candidates = 4;

    /// <summary>StepLR's step_size, in batches: the scheduler is stepped after every batch.</summary>
    public const long StepSize = 500;

    /// <summary>StepLR's gamma: halve the rate every <see cref="StepSize"/> batches.</summary>
    public const double StepGamma = 0.5;

    /// <summary>What one StepLR step counts.</summary>
    public const ScheduleUnit StepUnit = ScheduleUnit.Batch;

    /// <summary>Its best test accuracy (on full MNIST, 10,000 test images).</summary>
    public const double BestAccuracy = 0.989;

    /// <summary>Its StepLR picks, the best rates it found: the default rate of <c>run</c>.</summary>
    public const double SgdStepLr = 0.2161, AdamStepLr = 5.4723e-3;

    /// <summary>Its fixed-rate picks.</summary>
    public const double SgdFixedLr = 0.0127, AdamFixedLr = 2.0318e-4;

    /// <summary>Its optimizers.</summary>
    public static IReadOnlyList<OptimizerKind> Optimizers { get; } = [OptimizerKind.Sgd, OptimizerKind.Adam];

    /// <summary>Its schedules: a fixed rate and StepLR halving every 500 batches.</summary>
    public static IReadOnlyList<NamedSchedule> Schedules { get; } =
        [NamedSchedule.Of("fixed"), NamedSchedule.Of("step", new ScheduleOptions { StepSize = StepSize, Gamma = StepGamma })];

    /// <summary>Its candidates per optimizer, read off its range tests.</summary>
    public static IReadOnlyList<double> CandidatesOf(OptimizerKind optimizer) => optimizer switch
    {
        OptimizerKind.Sgd => [0.0046401, 0.01271, 0.05044, 0.2161],
        OptimizerKind.Adam => [6.291e-5, 2.0318e-4, 6.6401e-4, 5.4723e-3],
        _ => [],
    };

    /// <summary>The rate it picked for <paramref name="optimizer"/> with schedule <paramref name="schedule"/> (fixed or step); null if it ran none.</summary>
    public static double? Pick(OptimizerKind optimizer, string schedule) => (optimizer, schedule) switch
    {
        (OptimizerKind.Sgd, "fixed") => SgdFixedLr,
        (OptimizerKind.Sgd, "step") => SgdStepLr,
        (OptimizerKind.Adam, "fixed") => AdamFixedLr,
        (OptimizerKind.Adam, "step") => AdamStepLr,
        _ => null,
    };

    /// <summary>
    /// Where <paramref name="request"/>'s recipe departs from the reference's, one phrase each ("epochs 10 (reference: 30)");
    /// empty when it follows it. Data, device, seed and output folder are not part of the recipe.
    /// </summary>
    public static IReadOnlyList<string> Differences(StudyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (t, s, c) = (request, request.Sweep, CultureInfo.InvariantCulture);
        var differences = new List<string>();
        void Check(bool same, string what, object ours, object theirs)
        {
            if (!same)
            {
                differences.Add(string.Create(c, $"{what} {ours} (reference: {theirs})"));
            }
        }

        Check(request.Optimizers.SequenceEqual(Optimizers), "optimizers", Names(request.Optimizers), Names(Optimizers));
        Check(RunJson.Serialize(request.Schedules) == RunJson.Serialize(Schedules), "schedules",
            string.Join(", ", request.Schedules.Select(x => x.Label)), string.Join(", ", Schedules.Select(x => x.Label)));
        Check(t.ScheduleUnit == StepUnit, "schedule stepped per", Unit(t.ScheduleUnit), Unit(StepUnit));
        Check(t.Epochs == Epochs, "epochs", t.Epochs, Epochs);
        Check(t.Batch == Batch, "batch", t.Batch, Batch);
        Check(t.Momentum == 0 && t.WeightDecay == 0, "momentum, weight decay", $"{t.Momentum}, {t.WeightDecay}", "0, 0");
        Check(s.Start == SweepStart && s.End == SweepEnd && s.Steps == SweepSteps && s.Mode == LrSweepMode.Exponential, "sweep",
            $"{s.Start:G3} .. {s.End:G3} {s.Mode.ToString().ToLowerInvariant()} over {s.Steps} steps", $"{SweepStart:G3} .. {SweepEnd:G3} exponential over {SweepSteps} steps");
        Check(s.Candidates == Candidates, "candidates", s.Candidates, Candidates);
        return differences;
    }

    private static string Names(IEnumerable<OptimizerKind> optimizers) => string.Join(", ", optimizers.Select(OptionNames.Of));

    private static string Unit(ScheduleUnit unit) => unit.ToString().ToLowerInvariant();
}
