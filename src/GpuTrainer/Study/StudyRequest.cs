using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// An automated learning-rate study: for each optimizer a range test, then a training run for every
/// schedule x candidate rate, then a ranked report.
/// </summary>
/// <param name="Optimizers">The optimizers to compare, each at most once.</param>
/// <param name="Schedules">The schedules to compare, each name at most once.</param>
/// <param name="Training">Epochs, batch, momentum (SGD only; ignored for Adam), weight decay, seed and schedule unit of every run;
/// its optimizer and schedule are set per run.</param>
/// <param name="Sweep">The range test and how many candidates to take from it.</param>
/// <param name="DataDirectory">An MNIST-format directory; null for the embedded sample.</param>
/// <param name="Device">Which backend runs it.</param>
/// <param name="Threads">Threads for the managed CPU backend; 0 for every core.</param>
/// <param name="OutputDirectory">The study folder. Unlike a run's, it may exist: the study then resumes, reusing finished runs.</param>
public sealed record StudyRequest(
    IReadOnlyList<OptimizerKind> Optimizers, IReadOnlyList<StudySchedule> Schedules, TrainingOptions Training, LrSweepOptions Sweep,
    string? DataDirectory, DeviceKind Device, int Threads, string OutputDirectory);
