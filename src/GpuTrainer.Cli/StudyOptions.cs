using CommandLine;
using GpuTrainer.Study;

namespace GpuTrainer.Cli;

[Verb("study", HelpText = "Learning-rate study: a range test per optimizer, a run per optimizer x schedule x candidate rate, a ranked report.")]
public sealed class StudyOptions : SweepArgs
{
    [Option("opt", Default = "sgd,adam", HelpText = "Comma-separated optimizers: sgd, adam, adamw.")]
    public string Optimizers { get; set; } = "sgd,adam";

    [Option("sched", Default = "fixed,step", HelpText = "Comma-separated schedules: fixed, step, multistep, exponential, cosine, cosine-restarts, poly, onecycle (each with its defaults).")]
    public string Schedules { get; set; } = "fixed,step";

    [Option("sched-unit", Default = "batch", HelpText = "What one schedule step counts: batch (scheduler.step() after every batch, as the reference study's StepLR) or epoch.")]
    public string ScheduleUnit { get; set; } = "batch";

    [Option("step-size", HelpText = "step: multiply the rate by --gamma every this many schedule steps. Default 500 per batch (the reference study's StepLR(500, 0.5)), 1 per epoch.")]
    public long? StepSize { get; set; }

    [Option("gamma", HelpText = "step: decay factor. Default 0.5.")]
    public double? Gamma { get; set; }

    [Option("epochs", Default = ReferenceStudy.Epochs, HelpText = "Epochs of every run.")]
    public int Epochs { get; set; } = ReferenceStudy.Epochs;

    [Option("recipe", HelpText = "reference: the reference study's recipe (the defaults: sgd,adam x fixed,step, StepLR halving every 500 batches, batch 128, 30 epochs, sweep 1e-6..1 over 2,345 steps, 4 candidates); any option that departs from it is refused.")]
    public string? Recipe { get; set; }
}
