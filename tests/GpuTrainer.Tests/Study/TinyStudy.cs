using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Study;

namespace GpuTrainer.Tests.Study;

/// <summary>
/// The study the study tests run on a <see cref="Training.TinyMnist"/> folder: SGD x (fixed, step halving every epoch) x 2
/// candidates, batch 16, seed 4, CPU, 1 thread; one cell per array task unless <c>parallel</c> says otherwise (null: the route's default).
/// </summary>
internal static class TinyStudy
{
    public static StudyRequest Request(string data, string output, int epochs, int? parallel = 1) => new()
    {
        Parallel = parallel,
        Optimizers = [OptimizerKind.Sgd],
        Schedules = [NamedSchedule.Of("fixed"), NamedSchedule.Of("step", new ScheduleOptions { StepSize = 1, Gamma = 0.5 })],
        ScheduleUnit = GpuTrainer.Training.ScheduleUnit.Epoch,
        Epochs = epochs,
        Batch = 16,
        Seed = 4,
        Sweep = new LrSweepOptions { Start = 1e-3, End = 10, Steps = 100, SmoothingBeta = 0.9, Candidates = 2 },
        DataDirectory = data,
        Device = DeviceKind.Cpu,
        Threads = 1,
        OutputDirectory = output,
    };
}
