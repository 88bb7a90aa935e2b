namespace GpuTrainer.Data;

/// <summary>Maps a grey level g (0..255) to (g/255 - <see cref="Mean"/>) / <see cref="Std"/>.</summary>
public sealed record Normalization
{
    /// <summary>Validates that <paramref name="mean"/> is finite and <paramref name="std"/> finite and positive.</summary>
    public Normalization(float mean, float std)
    {
        if (!float.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), $"Mean must be finite, not {mean}.");
        }

        if (!float.IsFinite(std) || std <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(std), $"Std must be finite and positive, not {std}.");
        }

        Mean = mean;
        Std = std;
    }

    /// <summary>MNIST's training-set statistics: mean 0.1307, std 0.3081.</summary>
    public static Normalization Mnist { get; } = new(0.1307f, 0.3081f);

    /// <summary>Mean of g/255 subtracted before dividing.</summary>
    public float Mean { get; }

    /// <summary>Standard deviation of g/255 divided by.</summary>
    public float Std { get; }

    /// <summary>The normalised value of one grey level, computed in double and rounded once to float.</summary>
    public float Apply(byte grey) => (float)((grey / 255.0 - Mean) / Std);
}
