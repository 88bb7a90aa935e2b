namespace GpuTrainer.LrFinder;

/// <summary>
/// Exponential moving average of the loss with bias correction (fastai's recorder):
/// avg_i = beta*avg_(i-1) + (1-beta)*loss_i with avg_(-1) = 0, smoothed_i = avg_i / (1 - beta^(i+1)).
/// The correction removes the pull towards 0 of the zero start, so the first value is the first loss.
/// </summary>
public sealed class LossSmoother
{
    private readonly double _beta;
    private double _average;
    private double _betaPower = 1;

    /// <param name="beta">Weight of the past, in [0, 1).</param>
    public LossSmoother(double beta)
    {
        if (!(beta >= 0 && beta < 1))
        {
            throw new ArgumentException($"The smoothing beta must be in [0, 1), got {beta}.");
        }

        _beta = beta;
    }

    /// <summary>Adds the next loss and returns the bias-corrected average so far.</summary>
    public double Add(double loss)
    {
        _average = (_beta * _average) + ((1 - _beta) * loss);
        _betaPower *= _beta;
        return _average / (1 - _betaPower);
    }
}
