using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;

namespace GpuTrainer.Tests.Study;

/// <summary>The study the study tests run on a <see cref="Training.TinyMnist"/> folder: SGD x (fixed, step) x 2 candidates, batch 16, seed 4, CPU, 1 thread.</summary>
internal static class TinyStudy
{
    public static StudyRequest Request(string data, string output, int epochs) => new(
        [OptimizerKind.Sgd],
        [new StudySchedule("fixed", new ScheduleOptions()), new StudySchedule("step", new ScheduleOptions { StepSize = 1, Gamma = 0.5 })],
        new TrainingOptions { Schedule = new FixedLr(1), Epochs = epochs, Batch = 16, Seed = 4 },
        new LrFinderOptions { Start = 1e-3, End = 10, Steps = 100, SmoothingBeta = 0.9, Candidates = 2 },
        data, DeviceKind.Cpu, 1, output);
}
