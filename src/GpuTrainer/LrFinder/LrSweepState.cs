using GpuTrainer.Logging;

namespace GpuTrainer.LrFinder;

/// <summary>
/// One range test's curve as it grows: each step's point (with the smoothed loss) goes to the curve and the sink, and
/// <see cref="Stop"/> says when the sweep is over (<see cref="LrRangeTest"/>'s rules); each evaluated pass is recorded.
/// Shared by the lone range test and the grouped one, so both read a curve the same way.
/// </summary>
internal sealed class LrSweepState(LrSweepOptions options, IMetricSink sink)
{
    private readonly List<LrCurvePoint> _points = new(options.Steps);
    private readonly List<LrPassResult> _passes = [];
    private readonly LossSmoother _smoother = new(options.SmoothingBeta);
    private double _best = double.PositiveInfinity;

    /// <summary>Steps recorded so far; the next step's index.</summary>
    public int Steps => _points.Count;

    /// <summary>Why the sweep ended; null while it runs.</summary>
    public LrStopReason? Stop { get; private set; }

    /// <summary>True while the last pass may be evaluated: the sweep runs or ended by completing its steps.</summary>
    public bool Evaluable => Stop is null or LrStopReason.Completed;

    /// <summary>The learning rate of the step <paramref name="ahead"/> steps after the next one (0: the next step).</summary>
    public double LearningRate(int ahead) => options.LearningRate(_points.Count + ahead);

    /// <summary>
    /// Steps of the chunk that starts at batch <paramref name="first"/> of a pass of <paramref name="batches"/>: at most
    /// <see cref="LrRangeTest.ChunkSteps"/>, never past the pass or the sweep's last step.
    /// </summary>
    public int ChunkLength(int first, int batches) => Math.Min(LrRangeTest.ChunkSteps, Math.Min(batches - first, options.Steps - _points.Count));

    /// <summary>Records a step's loss at <paramref name="lr"/> and decides whether the sweep stops.</summary>
    public void Record(double lr, double loss)
    {
        var step = _points.Count + 1;
        var smoothed = _smoother.Add(loss);
        _points.Add(new LrCurvePoint(step, lr, loss, smoothed));
        sink.Scalar(MetricTags.LrTrain, step, lr);
        sink.Scalar(MetricTags.LossTrain, step, loss);
        _best = Math.Min(_best, smoothed);
        Stop = !double.IsFinite(loss) ? LrStopReason.NonFiniteLoss
            : smoothed > options.DivergenceFactor * _best ? LrStopReason.Diverged
            : _points.Count == options.Steps ? LrStopReason.Completed
            : null;
    }

    /// <summary>Records the test loss after complete pass <paramref name="pass"/> (from 0).</summary>
    public void EndPass(int pass, double testLoss)
    {
        sink.Scalar(MetricTags.LossTest, _points.Count, testLoss);
        _passes.Add(new LrPassResult(pass + 1, _points.Count, _points[^1].Lr, testLoss));
    }

    /// <summary>The finished curve.</summary>
    public LrRangeTestResult Result => new(_points, _passes, Stop ?? throw new InvalidOperationException("The sweep has not stopped yet."));
}
