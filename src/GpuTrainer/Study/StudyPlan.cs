using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Nn;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// The settings that decide a study's results, pinned in study.json so a resumed study cannot mix in runs of another;
/// beside them <paramref name="CellsPerTask"/>, the cells of one array task (a model group) as planned when it was pinned,
/// which the cluster's plan job takes so its tasks are the ones the emitter counted (results do not depend on it).
/// A study.json written before schedules could count batches has no <paramref name="ScheduleUnit"/>: its schedules counted epochs;
/// one written before models were described has no <paramref name="Model"/> (the canonical description): it trained LeNet-5.
/// </summary>
internal sealed record StudyPlan(
    IReadOnlyList<string> Optimizers, IReadOnlyList<NamedSchedule> Schedules, int Epochs, int Batch, double Momentum, double WeightDecay,
    int Seed, LrSweepOptions Sweep, string? Data, ScheduleUnit ScheduleUnit = ScheduleUnit.Epoch, int? CellsPerTask = null, string? Model = null)
{
    /// <summary>The model's canonical description (LeNet-5's for a study.json that names none).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ModelText => Model ?? ModelDescription.LeNet5.Text;

    /// <summary>The recipe of <paramref name="request"/> (its data folder as a full path).</summary>
    public static StudyPlan From(StudyRequest request) => new(
        [.. request.Optimizers.Select(OptionNames.Of)], request.Schedules, request.Epochs,
        request.Batch, request.Momentum, request.WeightDecay, request.Seed,
        request.Sweep, request.DataDirectory is null ? null : Path.GetFullPath(request.DataDirectory), request.ScheduleUnit,
        StudyPlanner.CellsPerTask(request), request.ResolveModel().Text);

    /// <summary>Equal settings (compared as their JSON, since the lists compare by reference; the cells per task aside).</summary>
    public bool SameAs(StudyPlan other) =>
        RunJson.Serialize(this with { CellsPerTask = null, Model = ModelText }) == RunJson.Serialize(other with { CellsPerTask = null, Model = other.ModelText });

    /// <summary>The request that runs this recipe on <paramref name="device"/> into <paramref name="folder"/>.</summary>
    public StudyRequest ToRequest(DeviceKind device, int threads, string folder) => new()
    {
        Optimizers = [.. Optimizers.Select(OptionNames.Optimizer)],
        Schedules = Schedules,
        ScheduleUnit = ScheduleUnit,
        Epochs = Epochs,
        Batch = Batch,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        Seed = Seed,
        Sweep = Sweep,
        Parallel = CellsPerTask,
        DataDirectory = Data,
        Model = ModelText,
        Device = device,
        Threads = threads,
        OutputDirectory = folder,
    };
}
