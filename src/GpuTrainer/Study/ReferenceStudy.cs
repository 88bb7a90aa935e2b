using System.Globalization;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The reference study, the hand-run PyTorch learning-rate study of LeNet-5 on full MNIST that this tool automates:
/// its results, and how a study departs from its recipe, which is <see cref="RecipeDefaults"/> (the defaults of <c>run</c>,
/// <c>lr-find</c> and <c>study</c>): SGD and Adam, each fixed and with StepLR(500, 0.5) stepped after every batch.
/// Results: the candidates and the rate picked per optimizer and schedule, best test accuracy about 98.9%.
/// </summary>
public static class ReferenceStudy
{
    /// <summary>Its name as a study's recipe (<c>study --recipe reference</c>).</summary>
    public const string RecipeName = "reference";

    /// <summary>Its best test accuracy (on full MNIST, 10,000 test images).</summary>
    public const double BestAccuracy = 0.989;

    /// <summary>Its fixed-rate picks.</summary>
    public const double SgdFixedLr = 0.0127, AdamFixedLr = 2.0318e-4;

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
        (OptimizerKind.Sgd, "step") => RecipeDefaults.SgdLr,   // its best rates, the default rates of run
        (OptimizerKind.Adam, "fixed") => AdamFixedLr,
        (OptimizerKind.Adam, "step") => RecipeDefaults.AdamLr,
        _ => null,
    };

    /// <summary>
    /// Where <paramref name="request"/>'s recipe departs from the reference's, one phrase each ("epochs 10 (reference: 30)");
    /// empty when it follows it. Data, device, seed and output folder are not part of the recipe.
    /// </summary>
    public static IReadOnlyList<string> Differences(StudyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (t, s, c, reference) = (request, request.Sweep, CultureInfo.InvariantCulture, new StudyRequest());
        var differences = new List<string>();
        void Check(bool same, string what, object ours, object theirs)
        {
            if (!same)
            {
                differences.Add(string.Create(c, $"{what} {ours} (reference: {theirs})"));
            }
        }

        Check(request.Optimizers.SequenceEqual(reference.Optimizers), "optimizers", Names(request.Optimizers), Names(reference.Optimizers));
        Check(RunJson.Serialize(request.Schedules) == RunJson.Serialize(reference.Schedules), "schedules",
            string.Join(", ", request.Schedules.Select(x => x.Label)), string.Join(", ", reference.Schedules.Select(x => x.Label)));
        Check(t.ScheduleUnit == RecipeDefaults.ScheduleUnit, "schedule stepped per", Unit(t.ScheduleUnit), Unit(RecipeDefaults.ScheduleUnit));
        Check(t.Epochs == RecipeDefaults.Epochs, "epochs", t.Epochs, RecipeDefaults.Epochs);
        Check(t.Batch == RecipeDefaults.Batch, "batch", t.Batch, RecipeDefaults.Batch);
        Check(t.Momentum == RecipeDefaults.Momentum && t.WeightDecay == RecipeDefaults.WeightDecay, "momentum, weight decay",
            $"{t.Momentum}, {t.WeightDecay}", $"{RecipeDefaults.Momentum}, {RecipeDefaults.WeightDecay}");
        var (sweep, theirs) = (Describe(s), Describe(reference.Sweep));
        Check(sweep == theirs, "sweep", sweep, theirs);
        Check(s.Candidates == RecipeDefaults.Candidates, "candidates", s.Candidates, RecipeDefaults.Candidates);
        return differences;
    }

    private static string Describe(LrSweepOptions s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Start:G3} .. {s.End:G3} {s.Mode.ToString().ToLowerInvariant()} over {s.Steps} steps");

    private static string Names(IEnumerable<OptimizerKind> optimizers) => string.Join(", ", optimizers.Select(OptionNames.Of));

    private static string Unit(ScheduleUnit unit) => unit.ToString().ToLowerInvariant();
}
