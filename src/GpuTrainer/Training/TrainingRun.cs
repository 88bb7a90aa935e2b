using System.Diagnostics;
using System.Globalization;
using GpuTrainer.Compute;
using GpuTrainer.Data;
using GpuTrainer.Logging;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Training;

/// <summary>How one run ended: its summary (finished) or the sentence that says where it diverged.</summary>
/// <param name="Summary">The finished run's summary; null when it diverged.</param>
/// <param name="Diverged">Why it diverged; null when it finished. Its folder then holds diverged.json and the metrics up to it.</param>
public sealed record RunOutcome(RunSummary? Summary, string? Diverged);

/// <summary>
/// Runs <see cref="RunRequest"/>s end to end: checks them, loads and checks the data (once), picks the device, trains them
/// as the members of one model (<see cref="Trainer"/>; a lone run is one member) with a line per epoch on <c>log</c>,
/// and writes each run's folder atomically: metrics.csv (tag,step,value), a TensorBoard event file, summary.json and,
/// after every epoch, a checkpoint (<see cref="CheckpointFile"/>; the previous one is deleted once the new one is whole).
/// A failure (bad data, missing device) leaves no folder behind; a run that diverges keeps its folder with its metrics
/// up to the divergence and diverged.json (and a lone run then throws <see cref="TrainingDivergedException"/>); an
/// interruption (Ctrl-C, through <c>interrupt</c>, at the next epoch end) or a killed process leaves the partial folder
/// with its checkpoint, which <see cref="Resume"/> continues.
/// </summary>
public static class TrainingRun
{
    /// <summary>The name of the summary a finished run leaves in its folder.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The file a diverged run leaves in its folder (<see cref="DivergedRun"/>).</summary>
    public const string DivergedFile = "diverged.json";

    /// <summary>The metrics file a run leaves in its folder (tag,step,value).</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>The name checkpoints written before models were described recorded (LeNet-5, the lenet5 preset).</summary>
    public const string LegacyModelName = "LeNet-5";

    /// <param name="request">What to run.</param>
    /// <param name="log">Where the header and the epoch lines go.</param>
    /// <param name="progress">Show a live progress bar per epoch when standard output is a terminal.</param>
    /// <param name="interrupt">When cancelled, the run stops after the current epoch's checkpoint with <see cref="RunInterruptedException"/>.</param>
    /// <exception cref="TrainingDivergedException">The loss stopped being finite; the folder keeps the run up to there.</exception>
    public static RunSummary Execute(RunRequest request, TextWriter log, bool progress = false, CancellationToken interrupt = default)
    {
        request.Validate();
        var data = RunData.Load(request.DataDirectory);
        var run = Resolve(request, data);
        using var backend = Backends.Create(request.Device, request.Threads);
        data.CheckModel(run.Model, request.Batch, 1, backend);
        using var folder = RunFolder.Create(request.OutputDirectory ?? request.DefaultOutputDirectory());
        return Lone(Train([new RunOutputs(run, data, folder, null)], data, backend, log, null, progress, interrupt)[0]);
    }

    /// <summary>
    /// Trains <paramref name="requests"/> as the members of one model (the data loaded once, every run on the same batches
    /// in one pass), each into its own folder; a run whose partial folder holds a checkpoint (an interrupted run) goes on
    /// from it instead of refusing, if its recipe is the request's (runs continued from different epochs train as separate
    /// models, one per epoch). The requests must share data, device, threads, batch, seed and epochs. Used by the study.
    /// </summary>
    /// <param name="requests">The runs, one member each.</param>
    /// <param name="log">Where the header and the per-epoch lines go.</param>
    /// <param name="label">How the log and the progress display name the group, e.g. "task 1"; null for a lone run's lines.</param>
    /// <param name="progress">Show a live bar per epoch when standard output is a terminal.</param>
    /// <returns>Every run's outcome, in the requests' order.</returns>
    public static IReadOnlyList<RunOutcome> Continue(IReadOnlyList<RunRequest> requests, TextWriter log, string? label = null, bool progress = false)
    {
        var first = requests.Count > 0 ? requests[0] : throw new ArgumentException("A model needs at least one run.");
        if (requests.Any(r => r.DataDirectory != first.DataDirectory || r.Device != first.Device || r.Threads != first.Threads))
        {
            throw new ArgumentException("The runs of a group must share the data, the device and the thread count.");
        }

        foreach (var request in requests)
        {
            request.Validate();
        }

        var data = RunData.Load(first.DataDirectory);
        var runs = requests.Select(r => Resolve(r, data)).ToList();
        if (runs.Any(r => r.Model.Text != runs[0].Model.Text))
        {
            throw new ArgumentException("The runs of a group must train the same model.");
        }

        using var backend = Backends.Create(first.Device, first.Threads);
        data.CheckModel(runs[0].Model, first.Batch, requests.Count, backend);
        var opened = new List<(RunFolder Folder, Checkpoint? Checkpoint)>();
        try
        {
            foreach (var request in requests)
            {
                opened.Add(OpenToContinue(request));
            }

            var outcomes = new RunOutcome[requests.Count];
            foreach (var part in Enumerable.Range(0, requests.Count).GroupBy(i => opened[i].Checkpoint?.Epoch ?? 0).OrderBy(g => g.Key))
            {
                var members = part.ToList();
                var outputs = members.Select(i => new RunOutputs(runs[i], data, opened[i].Folder, opened[i].Checkpoint)).ToList();
                var ended = Train(outputs, data, backend, log, label, progress, default);
                for (var m = 0; m < members.Count; m++)
                {
                    outcomes[members[m]] = ended[m];
                }
            }

            return outcomes;
        }
        finally
        {
            opened.ForEach(o => o.Folder.Dispose());
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
            data.CheckModel(run.Model, request.Batch, 1, backend);
            return Lone(Train([new RunOutputs(run, data, folder, checkpoint)], data, backend, log, null, progress, interrupt)[0]);
        }
    }

    /// <summary>"epoch  3/15  train loss 0.1234  test loss 0.0987  test acc 97.10%  lr 1.37e-03  41,234 img/s  2.9 s".</summary>
    public static string Describe(EpochResult r, int epochs) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {r.Epoch.ToString().PadLeft(epochs.ToString().Length)}/{epochs}  train loss {r.TrainLoss:F4}  test loss {r.TestLoss:F4}  " +
        $"test acc {r.TestAccuracy * 100:F2}%  lr {r.LearningRate:0.00e+00}  {r.ImagesPerSecond:N0} img/s  {r.Elapsed.TotalSeconds:F1} s");

    /// <summary>A request made concrete for its data: the trainer's options, the recipe checkpoints keep, the description, the model (checked against the data).</summary>
    internal sealed record ResolvedRun(TrainingOptions Options, RunRecipe Recipe, string Description, Nn.ModelDescription Model);

    internal static ResolvedRun Resolve(RunRequest request, RunData data)
    {
        var model = request.ResolveModel();
        data.CheckModel(model, request.Batch);
        return new(request.Training(data.Train.Count), request.StoredRecipe(), request.Description, model);
    }

    // A lone run's summary, or its divergence as the exception `run` ends with (exit code 5).
    private static RunSummary Lone(RunOutcome outcome) =>
        outcome.Summary ?? throw new TrainingDivergedException(outcome.Diverged!);

    // One model: every member continues from the same epoch, each with its own outputs.
    private static RunOutcome[] Train(
        IReadOnlyList<RunOutputs> outputs, RunData data, IBackend backend, TextWriter log, string? label, bool progress, CancellationToken interrupt)
    {
        try
        {
            return TrainMembers(outputs, data, backend, log, label, progress, interrupt);
        }
        finally
        {
            foreach (var o in outputs)
            {
                o.Dispose();
            }
        }
    }

    private static RunOutcome[] TrainMembers(
        IReadOnlyList<RunOutputs> outputs, RunData data, IBackend backend, TextWriter log, string? label, bool progress, CancellationToken interrupt)
    {
        var options = outputs[0].Run.Options;
        data.CheckBatch(options.Batch);
        var lone = label is null && outputs.Count == 1;
        var names = outputs.Select(o => lone ? "" : $"  {Path.GetFileName(o.Folder.FinalPath)}: ").ToList();
        var model = outputs[0].Run.Model;
        var parameters = model.ParameterCount(data.Shape, data.Classes);
        var what = lone
            ? $"{model.Label} ({parameters:N0} parameters)"
            : $"{label ?? "group"}: {outputs.Count} {model.Label} models ({parameters:N0} parameters each) trained together";
        log.WriteLine($"{what} on {backend.Name}");
        log.WriteLine($"data {data.Directory}: {data.Train.Count:N0} train / {data.Test.Count:N0} test images");
        log.WriteLine($"{string.Join("; ", outputs.Select(o => $"{OptionNames.Of(o.Run.Options.Optimizer)}, {o.Run.Description}"))}, batch {options.Batch}, " +
            $"{options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")}, seed {options.Seed}");
        var trainLoader = new BatchLoader(data.Train, options.Batch, shuffle: true, options.Seed);
        var testLoader = new BatchLoader(data.Test, options.Batch, shuffle: false);
        using var trainer = new Trainer(backend, [.. outputs.Select(o => o.Run.Options)], model, data.Shape, data.Classes);
        for (var k = 0; k < outputs.Count; k++)
        {
            if (outputs[k].Resume(trainer.Model.ParameterCount, trainer.Optimizer.Name(k)) is { } snapshot)
            {
                trainer.Restore(k, snapshot);
                log.WriteLine($"{names[k]}resumed from {RunCheckpoints.FileName(outputs[k].FirstEpoch)} after epoch {outputs[k].FirstEpoch}");
            }
        }

        var sinks = outputs.Select(o => o.OpenSink()).ToList();
        ConsoleProgress? bar = null;
        var (firstEpoch, epoch) = (outputs[0].FirstEpoch, outputs[0].FirstEpoch);
        var clock = Stopwatch.StartNew();
        void AfterBatch() => (bar ??= ConsoleProgress.ForConsole(
            Heading(lone ? null : label ?? "group", trainer, epoch, options.Epochs, epoch == firstEpoch ? null : clock.Elapsed / (epoch - firstEpoch)),
            trainLoader.BatchCount, "batch")).Advance();
        void OnEpoch(int k, EpochResult r)
        {
            bar?.Dispose();
            bar = null;
            epoch = r.Epoch;
            log.WriteLine($"{names[k]}{Describe(r, options.Epochs)}");
            outputs[k].EndEpoch(r, trainer.Snapshot(k), trainer.Optimizer.Name(k));
            if (interrupt.IsCancellationRequested && r.Epoch < options.Epochs && Enumerable.Range(k + 1, outputs.Count - k - 1).All(j => trainer.Error(j) is not null))
            {
                outputs.ToList().ForEach(o => o.Folder.Keep());
                throw new RunInterruptedException(lone
                    ? $"Interrupted after epoch {r.Epoch} of {options.Epochs}; its checkpoint is in {outputs[0].Folder.WorkingPath}: continue with 'gputrainer run --resume {outputs[0].Folder.FinalPath}'."
                    : $"Interrupted after epoch {r.Epoch} of {options.Epochs}; the runs' checkpoints are in their partial folders.");
            }
        }

        trainer.Fit(trainLoader, testLoader, sinks, OnEpoch, progress && !Console.IsOutputRedirected ? AfterBatch : null, firstEpoch);
        bar?.Dispose();
        return [.. outputs.Select((o, k) =>
        {
            if (trainer.Error(k) is { } error)
            {
                o.Diverged(error);
                log.WriteLine($"{names[k]}{error} Its metrics up to there are in {o.Folder.FinalPath}.");
                return new RunOutcome(null, error);
            }

            var summary = o.Complete(backend.Name);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{names[k]}best test accuracy {summary.BestAccuracy * 100:F2}% (epoch {summary.BestEpoch}){(lone ? $"; outputs in {o.Folder.FinalPath}" : "")}"));
            return new RunOutcome(summary, null);
        })];
    }

    // "epoch 4" for a lone run; "task 1: 16 cells (15 training), epoch 4/30, group ETA 0:41:10" for a group. The bar adds the epoch's batches and ETA.
    private static string Heading(string? label, Trainer trainer, int epochsDone, int epochs, TimeSpan? perEpoch)
    {
        if (label is null)
        {
            return $"epoch {epochsDone + 1}";
        }

        var training = Enumerable.Range(0, trainer.Members).Count(k => trainer.Error(k) is null);
        var heading = string.Create(CultureInfo.InvariantCulture, $"{label}: {trainer.Members} cells ({training} training), epoch {epochsDone + 1}/{epochs}");
        return perEpoch is { } t ? string.Create(CultureInfo.InvariantCulture, $"{heading}, group ETA {t * (epochs - epochsDone):h\\:mm\\:ss}") : heading;
    }

    /// <summary>Refuses, in one sentence, a checkpoint of another model (or input size) than <paramref name="model"/> of <paramref name="parameterCount"/> parameters.</summary>
    internal static void CheckModel(Checkpoint c, Nn.ModelDescription model, int parameterCount, int imageSide)
    {
        var stored = c.Model == LegacyModelName ? Nn.ModelDescription.LeNet5.Text : c.Model;
        if (stored != model.Text)
        {
            throw new CheckpointException($"The checkpoint is of another model ({Abbreviate(stored)}), but this run trains {model.Name} ({Abbreviate(model.Text)}).");
        }

        var ours = $"{imageSide}x{imageSide} images with {parameterCount:N0} parameters";
        var theirs = $"{c.ImageSide}x{c.ImageSide} images with {c.Parameters.Length:N0} parameters";
        if (ours != theirs)
        {
            throw new CheckpointException($"The checkpoint is of a model on {theirs}, but this run trains one on {ours}.");
        }
    }

    // A description short enough for a sentence.
    private static string Abbreviate(string text) => text.Length <= 120 ? text : text[..117] + "...";

    /// <summary>Refuses, in one sentence, a checkpoint of another model, data set, seed or optimizer than this run's.</summary>
    internal static void CheckFits(Checkpoint c, Nn.ModelDescription model, int parameterCount, string optimizerName, RunData data, TrainingOptions options)
    {
        CheckModel(c, model, parameterCount, data.Train.Height);
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
