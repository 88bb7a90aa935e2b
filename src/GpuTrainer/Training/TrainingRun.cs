using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Training;

/// <summary>
/// Runs a <see cref="RunRequest"/> end to end: checks it, loads and checks the data, picks the device, trains
/// with a line per epoch on <c>log</c>, and writes the run folder atomically:
/// metrics.csv (tag,step,value), a TensorBoard event file, summary.json and, after every epoch, a checkpoint
/// (<see cref="CheckpointFile"/>; the previous one is deleted once the new one is whole). A failure (bad data,
/// missing device, divergence) leaves no folder behind; an interruption (Ctrl-C, through <c>interrupt</c>, at the
/// next epoch end) or a killed process leaves the partial folder with its checkpoint, which <see cref="Resume"/> continues.
/// </summary>
public static class TrainingRun
{
    /// <summary>The name of the summary a finished run leaves in its folder.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The metrics file a run leaves in its folder (tag,step,value).</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>The model's name as checkpoints record it.</summary>
    public const string ModelName = "LeNet-5";

    /// <param name="request">What to run.</param>
    /// <param name="log">Where the header and the epoch lines go.</param>
    /// <param name="progress">Show a live progress bar per epoch when standard output is a terminal.</param>
    /// <param name="interrupt">When cancelled, the run stops after the current epoch's checkpoint with <see cref="RunInterruptedException"/>.</param>
    public static RunSummary Execute(RunRequest request, TextWriter log, bool progress = false, CancellationToken interrupt = default)
    {
        request.Validate();
        var data = RunData.Load(request.DataDirectory);
        var run = Resolve(request, data);
        using var backend = Backends.Create(request.Device, request.Threads);
        using var folder = RunFolder.Create(request.OutputDirectory ?? request.DefaultOutputDirectory());
        return Train(run, data, backend, folder, resume: null, log, progress, interrupt);
    }

    /// <summary>
    /// Like <see cref="Execute"/>, but when the run's partial folder holds a checkpoint (an interrupted run), continues
    /// from it instead of refusing; its recipe must be the request's. Used by the study for its unfinished cells.
    /// </summary>
    public static RunSummary Continue(RunRequest request, TextWriter log, bool progress = false, CancellationToken interrupt = default)
    {
        var finalPath = Path.GetFullPath(request.OutputDirectory ?? request.DefaultOutputDirectory());
        if (RunCheckpoints.Latest(Path.Combine(Path.GetDirectoryName(finalPath)!, $".{Path.GetFileName(finalPath)}.partial")) is null)
        {
            return Execute(request, log, progress, interrupt);
        }

        request.Validate();
        var (folder, path) = RunFolder.Resume(finalPath);
        using (folder)
        {
            var checkpoint = CheckpointFile.Read(path);
            if (checkpoint.Recipe is null || !request.StoredRecipe().SameTrainingAs(checkpoint.Recipe))
            {
                throw new CheckpointException($"The checkpoint {path} was written by a run with another recipe; remove {folder.WorkingPath} to start afresh.");
            }

            var data = RunData.Load(request.DataDirectory);
            var run = Resolve(request, data);
            using var backend = Backends.Create(request.Device, request.Threads);
            return Train(run, data, backend, folder, checkpoint, log, progress, interrupt);
        }
    }

    /// <summary>
    /// Continues the run in <see cref="ResumeRequest.Directory"/> from its latest checkpoint with the recipe stored in
    /// it: an interrupted run to its planned epochs, or a finished one to more <see cref="ResumeRequest.Epochs"/>.
    /// On the same backend the outcome (parameters, metrics.csv) is bit for bit that of a run never interrupted.
    /// </summary>
    /// <exception cref="CheckpointException">No usable checkpoint (missing, truncated, damaged, other version, other model or data).</exception>
    public static RunSummary Resume(ResumeRequest resume, TextWriter log, bool progress = false, CancellationToken interrupt = default)
    {
        ArgumentNullException.ThrowIfNull(resume);
        resume.Validate();
        var (folder, path) = RunFolder.Resume(resume.Directory);
        using (folder)
        {
            var checkpoint = CheckpointFile.Read(path);
            var recipe = checkpoint.Recipe
                ?? throw new CheckpointException($"The checkpoint {path} holds no recipe (its run was started through the library without one), so it cannot be resumed from the command line.");
            var epochs = resume.Epochs ?? recipe.Epochs;
            if (epochs < checkpoint.Epoch || (epochs == checkpoint.Epoch && folder.ReplacesFinal))
            {
                throw new ArgumentException(string.Create(
                    CultureInfo.InvariantCulture, $"The run in {folder.FinalPath} has trained {checkpoint.Epoch} epochs; give --epochs above that to extend it."));
            }

            var request = recipe.ToRequest() with { Epochs = epochs, Device = resume.Device, Threads = resume.Threads, OutputDirectory = folder.FinalPath };
            request.Validate();
            var data = RunData.Load(request.DataDirectory);
            var run = Resolve(request, data);
            using var backend = Backends.Create(resume.Device, resume.Threads);
            return Train(run, data, backend, folder, checkpoint, log, progress, interrupt);
        }
    }

    /// <summary>"epoch  3/15  train loss 0.1234  test loss 0.0987  test acc 97.10%  lr 1.37e-03  41,234 img/s  2.9 s".</summary>
    public static string Describe(EpochResult r, int epochs) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {r.Epoch.ToString().PadLeft(epochs.ToString().Length)}/{epochs}  train loss {r.TrainLoss:F4}  test loss {r.TestLoss:F4}  " +
        $"test acc {r.TestAccuracy * 100:F2}%  lr {r.LearningRate:0.00e+00}  {r.ImagesPerSecond:N0} img/s  {r.Elapsed.TotalSeconds:F1} s");

    /// <summary>A request made concrete for its data: the trainer's options, the recipe checkpoints keep, the description.</summary>
    private sealed record ResolvedRun(TrainingOptions Options, RunRecipe Recipe, string Description);

    private static ResolvedRun Resolve(RunRequest request, RunData data) =>
        new(request.Training(data.Train.Count), request.StoredRecipe(), request.Description);

    private static RunSummary Train(
        ResolvedRun request, RunData data, IBackend backend, RunFolder folder, Checkpoint? resume, TextWriter log, bool progress, CancellationToken interrupt)
    {
        var (dataDirectory, train, test) = data;
        var options = request.Options;
        data.CheckBatch(options.Batch);
        log.WriteLine($"{ModelName} ({Nn.LeNet5.ParameterCount:N0} parameters) on {backend.Name}");
        log.WriteLine($"data {dataDirectory}: {train.Count:N0} train / {test.Count:N0} test images");
        log.WriteLine($"{OptionNames.Of(options.Optimizer)}, {request.Description}, batch {options.Batch}, {options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")}, seed {options.Seed}");

        var history = new List<EpochResult>();
        using (var trainer = new Trainer(backend, options, train.Height))
        {
            if (resume is not null)
            {
                CheckFits(resume, trainer, data, options);
                folder.ClearDerivedFiles();
                trainer.Restore(new TrainerSnapshot(resume.Parameters, resume.Optimizer, resume.Step));
                history.AddRange(resume.History);
                log.WriteLine($"resumed from {RunCheckpoints.FileName(resume.Epoch)} after epoch {resume.Epoch}");
            }

            var recorder = new MetricRecorder();
            try
            {
                Fit(request, data, trainer, folder, resume, recorder, history, log, progress, interrupt);
            }
            catch (TrainingDivergedException e) when (e.Metrics is null)
            {
                folder.Discard();   // its checkpoints would only diverge again
                throw new TrainingDivergedException(e.Message) { Metrics = [.. recorder.Rows] };
            }
        }

        var best = history.MaxBy(r => r.TestAccuracy)!;
        var last = history[^1];
        var summary = new RunSummary(
            backend.Name, dataDirectory, train.Count, test.Count, OptionNames.Of(options.Optimizer), request.Description,
            options.Epochs, options.Batch, options.Seed, folder.FinalPath,
            best.TestAccuracy, best.Epoch, last.TestAccuracy, last.TestLoss, last.TrainLoss, last.Elapsed.TotalSeconds, history);
        RunJson.Write(folder.PathOf(SummaryFile), summary);
        folder.Complete();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best test accuracy {best.TestAccuracy * 100:F2}% (epoch {best.Epoch}); outputs in {folder.FinalPath}"));
        return summary;
    }

    /// <summary>The epochs of a run (after the restored ones), a checkpoint after each; the metrics go to the files and to <paramref name="recorder"/>.</summary>
    private static void Fit(
        ResolvedRun request, RunData data, Trainer trainer, RunFolder folder, Checkpoint? resume,
        MetricRecorder recorder, List<EpochResult> history, TextWriter log, bool progress, CancellationToken interrupt)
    {
        var options = request.Options;
        var (train, test) = (data.Train, data.Test);
        var trainLoader = new BatchLoader(train, options.Batch, shuffle: true, options.Seed);
        var testLoader = new BatchLoader(test, options.Batch, shuffle: false);
        using var sink = new CompositeMetricSink(new CsvMetricSink(folder.PathOf(MetricsFile)), new TensorBoardEventWriter(folder.WorkingPath), recorder);
        foreach (var row in resume?.Metrics ?? [])
        {
            sink.Scalar(row.Tag, row.Step, row.Value);
        }

        // On a terminal a live bar per epoch; redirected output gets the epoch lines only.
        ConsoleProgress? bar = null;
        void AfterBatch() => (bar ??= ConsoleProgress.ForConsole($"epoch {trainer.Step / trainLoader.BatchCount + 1}", trainLoader.BatchCount, "batch")).Advance();
        void OnEpoch(EpochResult r)
        {
            bar?.Dispose();
            bar = null;
            log.WriteLine(Describe(r, options.Epochs));
            history.Add(r);
            var snapshot = trainer.Snapshot();
            RunCheckpoints.Save(folder.WorkingPath, new Checkpoint(
                ModelName, train.Height, train.Count, test.Count, r.Epoch, snapshot.Step, options.Seed, request.Recipe, [.. history],
                snapshot.Parameters, trainer.Optimizer.Name, snapshot.Optimizer, [.. recorder.Rows]));
            if (interrupt.IsCancellationRequested && r.Epoch < options.Epochs)
            {
                folder.Keep();
                throw new RunInterruptedException(
                    $"Interrupted after epoch {r.Epoch} of {options.Epochs}; its checkpoint is in {folder.WorkingPath}: continue with 'gputrainer run --resume {folder.FinalPath}'.");
            }
        }

        trainer.Fit(trainLoader, testLoader, sink, OnEpoch, progress && !Console.IsOutputRedirected ? AfterBatch : null, firstEpoch: resume?.Epoch ?? 0);
    }

    /// <summary>Refuses, in one sentence, a checkpoint of another model (or input size) than <paramref name="trainer"/>'s.</summary>
    internal static void CheckModel(Checkpoint c, Trainer trainer, int imageSide)
    {
        var ours = $"{ModelName} on {imageSide}x{imageSide} images with {trainer.Model.ParameterCount:N0} parameters";
        var theirs = $"{c.Model} on {c.ImageSide}x{c.ImageSide} images with {c.Parameters.Length:N0} parameters";
        if (ours != theirs)
        {
            throw new CheckpointException($"The checkpoint is of {theirs}, but this run trains {ours}.");
        }
    }

    /// <summary>Refuses, in one sentence, a checkpoint of another model, data set, seed or optimizer than this run's.</summary>
    private static void CheckFits(Checkpoint c, Trainer trainer, RunData data, TrainingOptions options)
    {
        CheckModel(c, trainer, data.Train.Height);
        if (c.TrainImages != data.Train.Count || c.TestImages != data.Test.Count)
        {
            throw new CheckpointException(
                $"The checkpoint was trained on {c.TrainImages:N0} train / {c.TestImages:N0} test images, but {data.Directory} holds {data.Train.Count:N0} / {data.Test.Count:N0}.");
        }

        if (c.Seed != options.Seed || c.OptimizerName != trainer.Optimizer.Name || c.Step != c.Epoch * BatchLoader.CountBatches(data.Train.Count, options.Batch))
        {
            throw new CheckpointException(
                $"The checkpoint ({c.OptimizerName}, seed {c.Seed}, {c.Step} steps in {c.Epoch} epochs) does not belong to this run ({trainer.Optimizer.Name}, seed {options.Seed}, batch {options.Batch}).");
        }
    }
}
