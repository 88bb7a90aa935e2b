using GpuTrainer.Logging;
using GpuTrainer.Training.Checkpoints;

namespace GpuTrainer.Training;

/// <summary>
/// One run's outputs while it trains (<see cref="TrainingRun"/>, alone or as one member of several): its folder, its
/// metrics (metrics.csv, a TensorBoard event file, and in memory for the checkpoints), its epoch history, a checkpoint
/// after every epoch, and at the end summary.json and report.html (<see cref="RunPage"/>) or, when it diverged,
/// diverged.json beside the metrics up to the divergence. It does not own the folder.
/// </summary>
internal sealed class RunOutputs : IDisposable
{
    private readonly RunData _data;
    private readonly Checkpoint? _resume;
    private readonly MetricRecorder _recorder = new();
    private readonly List<EpochResult> _history = [];
    private CompositeMetricSink? _sink;

    /// <param name="run">The run.</param>
    /// <param name="data">Its data.</param>
    /// <param name="folder">Its folder (new, or reopened to continue from <paramref name="resume"/>).</param>
    /// <param name="resume">The checkpoint it continues from; null for a fresh run.</param>
    public RunOutputs(TrainingRun.ResolvedRun run, RunData data, RunFolder folder, Checkpoint? resume)
    {
        (Run, _data, Folder, _resume) = (run, data, folder, resume);
    }

    public TrainingRun.ResolvedRun Run { get; }
    public RunFolder Folder { get; }

    /// <summary>Epochs the checkpoint holds (0 for a fresh run): the 0-based epoch training goes on with.</summary>
    public int FirstEpoch => _resume?.Epoch ?? 0;

    /// <summary>
    /// For a continued run: checks that the checkpoint belongs to it (a model of <paramref name="parameterCount"/> parameters
    /// trained by <paramref name="optimizerName"/>), clears the files it rebuilds, takes its history and returns the state
    /// to restore. Null for a fresh run.
    /// </summary>
    public TrainerSnapshot? Resume(int parameterCount, string optimizerName)
    {
        if (_resume is not { } c)
        {
            return null;
        }

        TrainingRun.CheckFits(c, Run.Model, parameterCount, optimizerName, _data, Run.Options);
        Folder.ClearDerivedFiles();
        _history.AddRange(c.History);
        return new TrainerSnapshot(c.Parameters, c.Optimizer, c.Step);
    }

    /// <summary>Opens the run's sink (metrics.csv, the event file, the in-memory rows) with the checkpoint's metrics replayed into it.</summary>
    public IMetricSink OpenSink()
    {
        _sink = new CompositeMetricSink(new CsvMetricSink(Folder.PathOf(TrainingRun.MetricsFile)), new TensorBoardEventWriter(Folder.WorkingPath), _recorder);
        foreach (var row in _resume?.Metrics ?? [])
        {
            _sink.Scalar(row.Tag, row.Step, row.Value);
        }

        return _sink;
    }

    /// <summary>Records epoch <paramref name="r"/> and writes its checkpoint from <paramref name="snapshot"/> (the previous one is then deleted).</summary>
    public void EndEpoch(EpochResult r, TrainerSnapshot snapshot, string optimizerName)
    {
        _history.Add(r);
        var (train, test) = (_data.Train, _data.Test);
        RunCheckpoints.Save(Folder.WorkingPath, new Checkpoint(
            Run.Model.Text, train.Height, train.Count, test.Count, r.Epoch, snapshot.Step, Run.Options.Seed, Run.Recipe, [.. _history],
            snapshot.Parameters, optimizerName, snapshot.Optimizer, [.. _recorder.Rows]));
    }

    /// <summary>
    /// The run diverged: closes its files (metrics.csv and the event file hold every step up to the divergence), deletes
    /// its checkpoints (they would only diverge again), writes diverged.json and moves the folder into place.
    /// </summary>
    public void Diverged(string message)
    {
        CloseSink();
        Folder.ClearCheckpoints();
        RunJson.Write(Folder.PathOf(TrainingRun.DivergedFile), new DivergedRun(message, [.. _history]));
        Folder.Complete();
    }

    /// <summary>The run finished on <paramref name="device"/>: closes its files, writes summary.json and report.html, moves the folder into place.</summary>
    public RunSummary Complete(string device)
    {
        CloseSink();
        var options = Run.Options;
        var best = _history.MaxBy(r => r.TestAccuracy)!;
        var last = _history[^1];
        var summary = new RunSummary(
            device, _data.Directory, _data.Train.Count, _data.Test.Count, OptionNames.Of(options.Optimizer), Run.Description,
            options.Epochs, options.Batch, options.Seed, Folder.FinalPath,
            best.TestAccuracy, best.Epoch, last.TestAccuracy, last.TestLoss, last.TrainLoss, last.Elapsed.TotalSeconds, [.. _history]);
        RunJson.Write(Folder.PathOf(TrainingRun.SummaryFile), summary);
        RunPage.Write(Folder.PathOf(Reports.ReportPage.FileName), summary, Run, _recorder.Rows);
        Folder.Complete();
        return summary;
    }

    private void CloseSink()
    {
        _sink?.Dispose();
        _sink = null;
    }

    public void Dispose() => CloseSink();
}
