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
        request.Validate();
        var (folder, checkpoint) = OpenToContinue(request);
        using (folder)
        {
            var data = RunData.Load(request.DataDirectory);
            var run = Resolve(request, data);
            using var backend = Backends.Create(request.Device, request.Threads);
            return Train(run, data, backend, folder, checkpoint, log, progress, interrupt);
        }
    }

    /// <summary>
    /// The folder <see cref="Continue"/> trains <paramref name="request"/> into: its partial folder with the latest
    /// checkpoint when an interrupted run left one (whose recipe must be the request's), else a new folder.
    /// </summary>
    internal static (RunFolder Folder, Checkpoint? Checkpoint) OpenToContinue(RunRequest request)
    {
        var finalPath = Path.GetFullPath(request.OutputDirectory ?? request.DefaultOutputDirectory());
        if (RunCheckpoints.Latest(Path.Combine(Path.GetDirectoryName(finalPath)!, $".{Path.GetFileName(finalPath)}.partial")) is null)
        {
            return (RunFolder.Create(finalPath), null);
        }

        var (folder, path) = RunFolder.Resume(finalPath);
        try
        {
            var checkpoint = CheckpointFile.Read(path);
            if (checkpoint.Recipe is null || !request.StoredRecipe().SameTrainingAs(checkpoint.Recipe))
            {
                throw new CheckpointException($"The checkpoint {path} was written by a run with another recipe; remove {folder.WorkingPath} to start afresh.");
            }

            return (folder, checkpoint);
        }
        catch
        {
            folder.Dispose();
            throw;
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
    internal sealed record ResolvedRun(TrainingOptions Options, RunRecipe Recipe, string Description);

    internal static ResolvedRun Resolve(RunRequest request, RunData data) =>
        new(request.Training(data.Train.Count), request.StoredRecipe(), request.Description);

    /// <summary>The header lines of a run (or, with <paramref name="what"/>, of a group's runs) on <paramref name="backend"/>.</summary>
    internal static void WriteHeader(TextWriter log, string what, string backend, RunData data, TrainingOptions options, string description)
    {
        log.WriteLine($"{what} on {backend}");
        log.WriteLine($"data {data.Directory}: {data.Train.Count:N0} train / {data.Test.Count:N0} test images");
        log.WriteLine($"{description}, batch {options.Batch}, {options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")}, seed {options.Seed}");
    }

    private static RunSummary Train(
        ResolvedRun request, RunData data, IBackend backend, RunFolder folder, Checkpoint? resume, TextWriter log, bool progress, CancellationToken interrupt)
    {
        var options = request.Options;
        data.CheckBatch(options.Batch);
        WriteHeader(log, $"{ModelName} ({Nn.LeNet5.ParameterCount:N0} parameters)", backend.Name, data, options, $"{OptionNames.Of(options.Optimizer)}, {request.Description}");

        using var outputs = new RunOutputs(request, data, folder, resume);
        using (var trainer = new Trainer(backend, options, data.Train.Height))
        {
            if (outputs.Resume(trainer.Model.ParameterCount, trainer.Optimizer.Name) is { } snapshot)
            {
                trainer.Restore(snapshot);
                log.WriteLine($"resumed from {RunCheckpoints.FileName(outputs.FirstEpoch)} after epoch {outputs.FirstEpoch}");
            }

            try
            {
                Fit(outputs, data, trainer, progress, log, interrupt);
            }
            catch (TrainingDivergedException e) when (e.Metrics is null)
            {
                throw outputs.Diverged(e.Message);
            }
        }

        var summary = outputs.Complete(backend.Name);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best test accuracy {summary.BestAccuracy * 100:F2}% (epoch {summary.BestEpoch}); outputs in {folder.FinalPath}"));
        return summary;
    }

    /// <summary>The epochs of a run (after the restored ones), a checkpoint after each.</summary>
    private static void Fit(RunOutputs outputs, RunData data, Trainer trainer, bool progress, TextWriter log, CancellationToken interrupt)
    {
        var options = outputs.Run.Options;
        var folder = outputs.Folder;
        var trainLoader = new BatchLoader(data.Train, options.Batch, shuffle: true, options.Seed);
        var testLoader = new BatchLoader(data.Test, options.Batch, shuffle: false);
        var sink = outputs.OpenSink();

        // On a terminal a live bar per epoch; redirected output gets the epoch lines only.
        ConsoleProgress? bar = null;
        void AfterBatch() => (bar ??= ConsoleProgress.ForConsole($"epoch {trainer.Step / trainLoader.BatchCount + 1}", trainLoader.BatchCount, "batch")).Advance();
        void OnEpoch(EpochResult r)
        {
            bar?.Dispose();
            bar = null;
            log.WriteLine(Describe(r, options.Epochs));
            outputs.EndEpoch(r, trainer.Snapshot(), trainer.Optimizer.Name);
            if (interrupt.IsCancellationRequested && r.Epoch < options.Epochs)
            {
                folder.Keep();
                throw new RunInterruptedException(
                    $"Interrupted after epoch {r.Epoch} of {options.Epochs}; its checkpoint is in {folder.WorkingPath}: continue with 'gputrainer run --resume {folder.FinalPath}'.");
            }
        }

        trainer.Fit(trainLoader, testLoader, sink, OnEpoch, progress && !Console.IsOutputRedirected ? AfterBatch : null, firstEpoch: outputs.FirstEpoch);
    }

    /// <summary>Refuses, in one sentence, a checkpoint of another model (or input size) than <paramref name="trainer"/>'s.</summary>
    internal static void CheckModel(Checkpoint c, int parameterCount, int imageSide)
    {
        var ours = $"{ModelName} on {imageSide}x{imageSide} images with {parameterCount:N0} parameters";
        var theirs = $"{c.Model} on {c.ImageSide}x{c.ImageSide} images with {c.Parameters.Length:N0} parameters";
        if (ours != theirs)
        {
            throw new CheckpointException($"The checkpoint is of {theirs}, but this run trains {ours}.");
        }
    }

    /// <summary>Refuses, in one sentence, a checkpoint of another model, data set, seed or optimizer than this run's.</summary>
    internal static void CheckFits(Checkpoint c, int parameterCount, string optimizerName, RunData data, TrainingOptions options)
    {
        CheckModel(c, parameterCount, data.Train.Height);
        if (c.TrainImages != data.Train.Count || c.TestImages != data.Test.Count)
        {
            throw new CheckpointException(
                $"The checkpoint was trained on {c.TrainImages:N0} train / {c.TestImages:N0} test images, but {data.Directory} holds {data.Train.Count:N0} / {data.Test.Count:N0}.");
        }

        if (c.Seed != options.Seed || c.OptimizerName != optimizerName || c.Step != c.Epoch * BatchLoader.CountBatches(data.Train.Count, options.Batch))
        {
            throw new CheckpointException(
                $"The checkpoint ({c.OptimizerName}, seed {c.Seed}, {c.Step} steps in {c.Epoch} epochs) does not belong to this run ({optimizerName}, seed {options.Seed}, batch {options.Batch}).");
        }
    }
}
