using GpuTrainer.LrFinder;
using GpuTrainer.Optim;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>The request records without the CLI: their defaults, how they resolve, and the same one-sentence checks the CLI shows.</summary>
public sealed class RequestTests
{
    [Fact]
    public void A_default_run_is_adam_at_the_reference_rate_halving_every_500_batches()
    {
        var request = new RunRequest();

        Assert.Equal(OptimizerKind.Adam, request.Optimizer);
        Assert.Equal(0.0054723, request.LearningRate);
        Assert.Equal(0.2161, (request with { Optimizer = OptimizerKind.Sgd }).LearningRate);
        Assert.Equal("lr 0.0054723, step (size 500, gamma 0.5) per batch", request.Description);
        var schedule = request.Training(trainImages: 1000).Schedule;
        Assert.Equal([0.0054723, 0.0054723, 0.0054723 / 2, 0.0054723 / 4], [schedule.LearningRate(0), schedule.LearningRate(499), schedule.LearningRate(500), schedule.LearningRate(1000)]);
        Assert.Equal(30, request.Epochs);
    }

    [Fact]
    public void A_per_batch_schedule_spans_every_batch_of_the_run_the_last_short_one_included()
    {
        // 1000 images at batch 128: 8 batches an epoch (7 full and one of 104), 16 in two epochs; cosine reaches half way at 8.
        var request = new RunRequest { Lr = 0.1, Schedule = NamedSchedule.Of("cosine"), ScheduleUnit = ScheduleUnit.Batch, Epochs = 2 };

        var schedule = request.Training(trainImages: 1000).Schedule;

        Assert.Equal(0.05, schedule.LearningRate(8), 12);
        Assert.Equal(0, schedule.LearningRate(16), 12);
    }

    [Fact]
    public void Default_output_folders_name_the_verb_and_its_choices()
    {
        Assert.Matches(@"^runs[/\\]\d{8}-\d{6}-sgd-cosine$", new RunRequest { Optimizer = OptimizerKind.Sgd, Schedule = NamedSchedule.Of(" Cosine") }.DefaultOutputDirectory());
        Assert.Matches(@"^runs[/\\]\d{8}-\d{6}-lr-find-adamw$", new LrFindRequest { Optimizer = OptimizerKind.AdamW }.DefaultOutputDirectory());
        Assert.Matches(@"^runs[/\\]study-\d{8}-\d{6}$", new StudyRequest().DefaultOutputDirectory());
    }

    public static TheoryData<Action, string> Impossible => new()
    {
        { () => new RunRequest { Epochs = 0 }.Validate(), "--epochs must be at least 1, got 0." },
        { () => new RunRequest { Batch = 0 }.Validate(), "--batch must be at least 1, got 0." },
        { () => new RunRequest { Lr = -1 }.Validate(), "The learning rate must be a positive number, got -1." },
        { () => new RunRequest { Momentum = 0.9 }.Validate(), "Momentum applies to SGD only; Adam has its own moment estimates." },
        { () => new RunRequest { Optimizer = OptimizerKind.Sgd, Momentum = 2 }.Validate(), "--momentum must be in [0, 1), got 2." },
        { () => new RunRequest { WeightDecay = -1 }.Validate(), "--weight-decay must be in [0, 1], got -1." },
        { () => new LrFindRequest { Batch = 0 }.Validate(), "--batch must be at least 1, got 0." },
        { () => new LrFindRequest { Optimizer = OptimizerKind.Sgd, Momentum = 1 }.Training(), "--momentum must be in [0, 1), got 1." },
        { () => new StudyRequest { Epochs = 0 }.Validate(), "--epochs must be at least 1, got 0." },
        { () => new StudyRequest { Optimizers = [OptimizerKind.Sgd, OptimizerKind.Sgd] }.Validate(), "Each optimizer and each schedule may appear only once in a study." },
        { () => StudyRequest.ScheduleGrid("fixed", 2, null, ScheduleUnit.Batch), "--step-size and --gamma apply to the step schedule, which --sched does not include." },
        { () => OptionNames.List(" , ", "--opt"), "--opt needs at least one name." },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void Impossible_requests_throw_the_sentence_the_cli_shows(Action validate, string message) =>
        Assert.Equal(message, Assert.Throws<OptionsException>(validate).Message);

    [Fact]
    public void Every_default_is_the_recipes_one()
    {
        var run = new RunRequest();
        var options = new TrainingOptions { Schedule = new FixedLr(1) };

        Assert.Equal((run.Epochs, run.ScheduleUnit, run.Batch, run.Seed), (options.Epochs, options.ScheduleUnit, options.Batch, options.Seed));
        Assert.Equal(ScheduleFactory.StepGamma, run.Schedule.Options.Gamma);
        Assert.Equal(ScheduleFactory.StepGamma, new StepLr(1, 1).LearningRate(1));
        Assert.Equal(ScheduleFactory.StepGamma, ScheduleFactory.Create("step", 1, 3, new()).LearningRate(1));
        Assert.Equal(run.Epochs, new StudyRequest().Epochs);
    }

    [Fact]
    public void A_per_batch_schedule_is_checked_without_its_length_and_fitted_to_it_once_the_data_is_known()
    {
        // onecycle over 4 batches cannot give each phase a step at pctStart 0.1; whether the run has 4 batches needs the data.
        var request = new RunRequest { Lr = 0.1, Schedule = NamedSchedule.Of("onecycle", new ScheduleOptions { PctStart = 0.1 }), Epochs = 1 };

        request.Validate();
        Assert.Throws<ArgumentException>(() => request.Training(trainImages: 4 * request.Batch));
        Assert.Equal(0.1, request.Training(trainImages: 100 * request.Batch).Schedule.LearningRate(9), 12);
    }

    [Fact]
    public void A_study_gives_momentum_to_sgd_only_and_the_step_defaults_to_every_step_schedule()
    {
        var study = new StudyRequest { Momentum = 0.9, Schedules = StudyRequest.ScheduleGrid("fixed,STEP", null, 0.25, ScheduleUnit.Batch) };

        Assert.Equal(0.9, study.RangeTest(OptimizerKind.Sgd, "x").Momentum);
        Assert.Equal(0, study.Run(OptimizerKind.Adam, study.Schedules[1], 1e-3, "x").Momentum);
        Assert.Equal(["fixed", "step (size 500, gamma 0.25)"], study.Schedules.Select(s => s.Label));
        Assert.Equal("step (size 1, gamma 0.5)", StudyRequest.ScheduleGrid("step", null, null, ScheduleUnit.Epoch)[0].Label);
        study.Validate();
    }
}
