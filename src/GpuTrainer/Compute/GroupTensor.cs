namespace GpuTrainer.Compute;

/// <summary>
/// The views of one tensor for each of <see cref="Models"/> models of a group, all in one buffer at a fixed
/// stride: model k's view is <see cref="First"/> moved by k * <see cref="Stride"/> elements. Stride 0 means one
/// view shared by every model (the input batch, the labels); an empty <see cref="First"/> stands for an absent
/// optional input (no bias) for every model.
/// </summary>
public readonly record struct GroupTensor
{
    /// <summary>Checks that every model's view fits the buffer.</summary>
    public GroupTensor(Tensor first, int stride, int models)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        if (!first.IsEmpty && first.Offset + ((long)(models - 1) * stride) + first.Length > first.Buffer.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(models), $"{models} views of {first.Length} elements at stride {stride} from {first.Offset} do not fit a buffer of {first.Buffer.Length} elements.");
        }

        (First, Stride, Models) = (first, stride, models);
    }

    /// <summary>Model 0's view.</summary>
    public Tensor First { get; }

    /// <summary>Elements between the starts of consecutive models' views; 0 when they share one view.</summary>
    public int Stride { get; }

    /// <summary>Number of models, K.</summary>
    public int Models { get; }

    /// <summary>The same view for every one of <paramref name="models"/> models.</summary>
    public static GroupTensor Shared(Tensor view, int models) => new(view, 0, models);

    /// <summary>Model <paramref name="k"/>'s view (empty when <see cref="First"/> is).</summary>
    public Tensor Model(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, Models);
        return First.IsEmpty ? default : new Tensor(First.Buffer, First.Offset + (k * Stride), First.Length);
    }

    /// <summary>The first <paramref name="length"/> elements of every model's view.</summary>
    public GroupTensor Prefix(int length) => new(First.Slice(0, length), Stride, Models);
}
