namespace GpuTrainer.Compute;

/// <summary>
/// A contiguous view (offset, length) into a <see cref="DeviceBuffer"/>. Shapes are not stored here:
/// each operation receives its shape explicitly (see <see cref="GemmShape"/>, <see cref="Conv2dShape"/>,
/// <see cref="Pool2dShape"/>) and checks that the views are long enough.
/// </summary>
public readonly record struct Tensor
{
    public Tensor(DeviceBuffer buffer, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (offset < 0 || length < 0 || (long)offset + length > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length), $"View [{offset}, {offset}+{length}) does not fit a buffer of {buffer.Length} elements.");
        }

        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    public DeviceBuffer Buffer { get; }
    public int Offset { get; }
    public int Length { get; }

    /// <summary>True for <c>default(Tensor)</c>, which operations accept where an input is optional (bias).</summary>
    public bool IsEmpty => Buffer is null;

    /// <summary>A sub-view relative to this view.</summary>
    public Tensor Slice(int offset, int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length), $"Slice [{offset}, {offset}+{length}) does not fit a view of {Length} elements.");
        }

        return new Tensor(Buffer, Offset + offset, length);
    }

    /// <summary>Throws unless this view holds at least <paramref name="required"/> elements.</summary>
    public void Require(long required, string name)
    {
        if (Buffer is null)
        {
            throw new ArgumentException($"Tensor '{name}' is empty but {required} elements are required.", name);
        }

        if (Length < required)
        {
            throw new ArgumentException($"Tensor '{name}' has {Length} elements but the shape needs {required}.", name);
        }
    }

    /// <summary>
    /// This view's buffer as the backend's own buffer type, after checking that <paramref name="owner"/>
    /// allocated it; a buffer of another backend throws, naming the tensor.
    /// </summary>
    public TBuffer OwnedBy<TBuffer>(IBackend owner, string name) where TBuffer : DeviceBuffer
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (Buffer is not TBuffer buffer || !ReferenceEquals(buffer.Owner, owner))
        {
            throw new ArgumentException($"Tensor '{name}' lives on '{Buffer?.Owner.Name}', not on this backend ({owner.Name}).", name);
        }

        return buffer;
    }
}
