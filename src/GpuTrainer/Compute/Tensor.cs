namespace GpuTrainer.Compute;

/// <summary>
/// The views (offset, length) of one tensor for each of <see cref="Members"/> members of a model group, all in one
/// <see cref="DeviceBuffer"/>: member k's view starts <c>k * </c><see cref="MemberStride"/> elements after member 0's.
/// A lone model is one member. A stride of 0 gives every member the same view (the input batch, the labels).
/// Shapes are not stored here: each operation receives its shape explicitly (see <see cref="GemmShape"/>,
/// <see cref="Conv2dShape"/>, <see cref="Pool2dShape"/>), applies it to every member and checks that the views are long
/// enough. <c>default(Tensor)</c> is empty: the absent optional input (no bias, no dx) of every member.
/// </summary>
public readonly record struct Tensor
{
    // Members - 1, so that default(Tensor) and the 3-argument constructor mean one member.
    private readonly int _moreMembers;

    /// <summary>A one-member view [offset, offset + length) of <paramref name="buffer"/>.</summary>
    public Tensor(DeviceBuffer buffer, int offset, int length)
        : this(buffer, offset, length, 1, 0)
    {
    }

    /// <summary>
    /// <paramref name="members"/> views of <paramref name="length"/> elements, member k's at offset + k * <paramref name="memberStride"/>;
    /// throws unless every one fits the buffer.
    /// </summary>
    public Tensor(DeviceBuffer buffer, int offset, int length, int members, int memberStride)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(memberStride);
        if (offset < 0 || length < 0 || offset + ((long)(members - 1) * memberStride) + length > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length),
                members == 1
                    ? $"View [{offset}, {offset}+{length}) does not fit a buffer of {buffer.Length} elements."
                    : $"{members} views of {length} elements at stride {memberStride} from {offset} do not fit a buffer of {buffer.Length} elements.");
        }

        (Buffer, Offset, Length, _moreMembers, MemberStride) = (buffer, offset, length, members - 1, memberStride);
    }

    public DeviceBuffer Buffer { get; }

    /// <summary>Where member 0's view starts.</summary>
    public int Offset { get; }

    /// <summary>Elements of each member's view.</summary>
    public int Length { get; }

    /// <summary>K, the members this tensor has a view for (1 for a lone model).</summary>
    public int Members => _moreMembers + 1;

    /// <summary>Elements between the starts of consecutive members' views; 0 when they share one view.</summary>
    public int MemberStride { get; }

    /// <summary>True for <c>default(Tensor)</c>, which operations accept where an input is optional (bias).</summary>
    public bool IsEmpty => Buffer is null;

    /// <summary>This view for <paramref name="members"/> members at <paramref name="memberStride"/> (0: all share it).</summary>
    public Tensor ForMembers(int members, int memberStride) =>
        IsEmpty ? default : new(Buffer, Offset, Length, members, memberStride);

    /// <summary>This view shared by <paramref name="members"/> members (stride 0).</summary>
    public Tensor Shared(int members) => ForMembers(members, 0);

    /// <summary>Member <paramref name="k"/>'s view alone (empty when this is).</summary>
    public Tensor Member(int k)
    {
        if (IsEmpty)
        {
            return default;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, Members);
        return new Tensor(Buffer, Offset + (k * MemberStride), Length);
    }

    /// <summary>The sub-view [offset, offset + length) of every member's view.</summary>
    public Tensor Slice(int offset, int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length), $"Slice [{offset}, {offset}+{length}) does not fit a view of {Length} elements.");
        }

        return new Tensor(Buffer, Offset + offset, length, Members, MemberStride);
    }

    /// <summary>Throws unless every member's view holds at least <paramref name="required"/> elements.</summary>
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
    /// The K shared by the non-empty <paramref name="views"/> of one operation (1 when all are empty); views for different
    /// numbers of members throw, naming both counts.
    /// </summary>
    public static int MembersOf(params ReadOnlySpan<Tensor> views)
    {
        var members = 0;
        foreach (var view in views)
        {
            if (view.IsEmpty)
            {
                continue;
            }

            if (members != 0 && view.Members != members)
            {
                throw new ArgumentException($"The views of one operation must cover the same members, got {view.Members} and {members}.");
            }

            members = view.Members;
        }

        return Math.Max(members, 1);
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
