using GpuTrainer.LrFinder;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>The settings that decide a study's results, pinned in study.json so a resumed study cannot mix in runs of another.</summary>
internal sealed record StudyPlan(
    IReadOnlyList<string> Optimizers, IReadOnlyList<StudySchedule> Schedules, ScheduleUnit ScheduleUnit, int Epochs, int Batch, double Momentum, double WeightDecay,
    int Seed, LrFinderOptions Sweep, string? Data)
{
    /// <summary>Equal settings (compared as their JSON, since the lists compare by reference).</summary>
    public bool SameAs(StudyPlan other) => RunJson.Serialize(this) == RunJson.Serialize(other);
}
