namespace GpuTrainer.Data;

/// <summary>
/// Maps a level g (0..255) of channel c to (g/255 - mean_c) / std_c: one (<see cref="Mean"/>, <see cref="Std"/>) for every
/// channel (MNIST's grey levels), or one pair per channel (<see cref="Channels"/>; CIFAR-10's red, green and blue).
/// </summary>
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
        Channels = [(mean, std)];
    }

    /// <summary>One (mean, std) per channel, each checked as the single pair is.</summary>
    public Normalization(IReadOnlyList<(float Mean, float Std)> channels)
        : this(channels is { Count: > 0 } ? channels[0].Mean : throw new ArgumentException("A normalisation needs at least one channel."), channels[0].Std)
    {
        Channels = [.. channels.Select(c => new Normalization(c.Mean, c.Std)).Select(n => (n.Mean, n.Std))];
    }

    /// <summary>CIFAR-10's training-set statistics per channel (red, green, blue): means 0.4914, 0.4822, 0.4465, stds 0.2470, 0.2435, 0.2616.</summary>
    public static Normalization Cifar10 { get; } = new([(0.4914f, 0.2470f), (0.4822f, 0.2435f), (0.4465f, 0.2616f)]);

    /// <summary>The (mean, std) of each channel; a single pair applies to every channel.</summary>
    public IReadOnlyList<(float Mean, float Std)> Channels { get; }

    /// <summary>Equal when every channel's (mean, std) is.</summary>
    public bool Equals(Normalization? other) => other is not null && Channels.SequenceEqual(other.Channels);

    public override int GetHashCode() => Channels.Aggregate(0, (hash, c) => HashCode.Combine(hash, c.Mean, c.Std));

    /// <summary>
    /// The 256-entry lookup of every channel of an image of <paramref name="channels"/> channels, channel after channel
    /// (256 * channels floats).
    /// </summary>
    public float[] Lookup(int channels)
    {
        if (Channels.Count != 1 && Channels.Count != channels)
        {
            throw new ArgumentException($"A normalisation of {Channels.Count} channels does not fit images of {channels} channels.");
        }

        var lookup = new float[256 * channels];
        for (var c = 0; c < channels; c++)
        {
            var (mean, std) = Channels[Channels.Count == 1 ? 0 : c];
            for (var g = 0; g < 256; g++)
            {
                lookup[(c * 256) + g] = (float)((g / 255.0 - mean) / std);
            }
        }

        return lookup;
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
