// How a thread-per-element launch covers the K members of a model group (every element-wise kernel, the split-K sums,
// the bias gradient's groups and the loss's groups): threads [k * Count, (k + 1) * Count) are member k's, and member
// k's view of each tensor starts k * its stride elements after member 0's (stride 0: one view every member shares,
// like the input batch and the labels). A kernel splits its index once (one division), moves its views to the member's
// start (SubView), and from there runs the one-member code unchanged: member k computes exactly what it computes alone.
namespace GpuTrainer.Kernels;

/// <summary>
/// <paramref name="Count"/> threads (or groups) per member and the member strides of up to four of a kernel's views, in
/// the order its documentation gives.
/// </summary>
/// <param name="Count">Threads (elements, or groups) per member.</param>
/// <param name="First">Member stride of the kernel's first view.</param>
/// <param name="Second">Member stride of its second view.</param>
/// <param name="Third">Member stride of its third view.</param>
/// <param name="Fourth">Member stride of its fourth view.</param>
public readonly record struct MemberStrides(int Count, int First, int Second = 0, int Third = 0, int Fourth = 0)
{
    /// <summary>The member of flat index <paramref name="index"/> and, in <paramref name="element"/>, the index within it.</summary>
    /// <param name="index">Flat index over members x Count.</param>
    /// <param name="element">index - member * Count.</param>
    public int Member(int index, out int element)
    {
        var member = index / Count;
        element = index - member * Count;
        return member;
    }
}
