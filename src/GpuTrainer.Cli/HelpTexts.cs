using System.Globalization;
using GpuTrainer.LrFinder;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;
using D = GpuTrainer.Training.RecipeDefaults;
using S = GpuTrainer.Schedules.ScheduleFactory;

namespace GpuTrainer.Cli;

/// <summary>
/// The help of every option whose text states a default or a limit, written from the library's values
/// (<see cref="RecipeDefaults"/>, <see cref="ScheduleFactory"/>, the cluster requests' defaults) so the help cannot drift
/// from them; an option names
/// its text with <c>HelpText = nameof(...)</c> and <c>ResourceType = typeof(HelpTexts)</c>.
/// </summary>
public static class HelpTexts
{
    public static string Model => Text(
        $"The model: a preset ({string.Join(", ", Nn.ModelDescription.Presets.Select(p => p.Name))}; 'gputrainer models' lists them) or a file listing its layers (conv OUT kernel=K stride=S padding=P, maxpool K, avgpool K, relu, flatten, linear OUT; one a line). Default {Nn.ModelDescription.DefaultName}.");

    public static string Lr => Text($"Base learning rate. Default: the reference study's best, {D.SgdLr} for sgd and {D.AdamLr} for adam/adamw.");

    public static string RunEpochs => Text($"Number of epochs. Default {D.Epochs} (the reference study's); with --resume, the run's own (more extends a finished run).");

    public static string Schedules => $"Learning-rate schedule: {string.Join(" | ", ScheduleFactory.Names)}.";

    public static string StudySchedules => $"Comma-separated schedules: {string.Join(", ", ScheduleFactory.Names)} (each with its defaults).";

    public static string ScheduleUnit =>
        "What one schedule step counts: batch (scheduler.step() after every batch, as the reference study's StepLR) or epoch (once per epoch).";

    public static string StepSize => Text(
        $"step: multiply the rate by --gamma every this many schedule steps. Default {D.StepSizeInBatches} per batch (the reference study's StepLR({D.StepSizeInBatches}, {S.StepGamma})), {D.StepSizeInEpochs} per epoch.");

    public static string RunGamma => Text(
        $"step, multistep: decay factor (default {S.StepGamma} for step, {S.MultiStepGamma} for multistep); exponential: per-step factor (default {S.ExponentialFinalFraction}^(1/steps)).");

    public static string StudyGamma => Text($"step: decay factor. Default {S.StepGamma}.");

    public static string EtaMin => Text($"cosine, cosine-restarts: the lowest rate. Default {S.EtaMin}.");

    public static string TMult => Text($"cosine-restarts: each cycle is this many times longer than the last. Default {S.TMult}.");

    public static string Power => Text($"poly: exponent of the decay. Default {S.Power}.");

    public static string PctStart => Text($"onecycle: fraction of the cycle spent rising to --lr (the peak). Default {S.PctStart}.");

    public static string DivFactor => Text($"onecycle: the cycle starts at --lr / this. Default {S.DivFactor}.");

    public static string FinalDivFactor => Text($"onecycle: the cycle ends at its start / this. Default {S.FinalDivFactor:0e0}.");

    public static string WarmupStart => Text($"With --warmup: the first warmup rate as a fraction of the schedule's first rate. Default {S.WarmupStartFactor:G3}.");

    public static string Steps => Text(
        $"Batches in the sweep (at least {LrSweepOptions.MinSteps}); the training data is cycled as often as needed. The default, {D.SweepSteps:N0}, is five epochs of 60,000 images at batch {D.Batch}.");

    public static string Parallel => Text(
        $"Cells trained together as one model group, one array task (same results, one pass over each batch); 1 trains them one after another; {StudyParallel.Auto} takes as many as memory allows, at most {StudyParallel.DefaultCap}. Default: {StudyParallel.Auto} for study, {StudyParallel.PhasesDefault} for its phases and cluster jobs.");

    public static string Recipe => Text(
        $"{ReferenceStudy.RecipeName}: the reference study's recipe, which the defaults are ({D.StudyOptimizerNames} x {D.StudyScheduleNames}, StepLR({D.StepSizeInBatches}, {S.StepGamma}) per {D.ScheduleUnitName}, batch {D.Batch}, {D.Epochs} epochs, sweep {D.SweepStart:g3}..{D.SweepEnd:g3} over {D.SweepSteps:N0} steps, {D.Candidates} candidates); any option that departs from it is refused.");

    public static string SlurmTime => $"sbatch --time of each job. Default {Slurm.Time}.";

    public static string SlurmCpus => Text($"sbatch --cpus-per-task; also the CPU backend's threads when --threads is 0. Default {Slurm.CpusPerTask}.");

    public static string SlurmMemory => $"sbatch --mem of each job. Default {Slurm.Memory}.";

    public static string SlurmGpus => Text($"GPUs per plan and cell job (--gres=gpu:N). Default {Slurm.Gpus}.");

    public static string SlurmMaxParallel => Text($"Array tasks running at once (the K of --array=0-N%K). Default {Slurm.MaxParallel}.");

    public static string PodMount => $"Where the claim is mounted in the pods. Default {Pods.MountPath}.";

    public static string PodName => $"Name prefix of the Jobs and the ConfigMap. Default {Pods.Name}.";

    public static string PodCommand => $"How the pods start gputrainer. Default {string.Join(' ', Pods.Program)}.";

    public static string PodParallelism => Text($"Cell pods running at once. Default {Pods.Parallelism}.");

    public static string PodBackoffLimit => Text($"Failed cell pods tolerated before the cell Job gives up. Default {Pods.BackoffLimit}.");

    public static string PodCpu => $"CPU request and limit per pod. Default {Pods.Cpu}.";

    public static string PodMemory => $"Memory request and limit per pod. Default {Pods.Memory}.";

    public static string PodGpus => Text($"nvidia.com/gpu per plan and cell pod. Default {Pods.Gpus}.");

    public static string PodManifests => $"Where the manifests go. Default ./{Pods.ManifestDirectory}.";

    // The cluster requests' defaults, read off requests made with nothing set.
    private static SlurmRequest Slurm => new(new StudyRequest());

    private static KubernetesRequest Pods => new(new StudyRequest(), "", "");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
