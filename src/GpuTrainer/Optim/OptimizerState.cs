using GpuTrainer.Compute;

namespace GpuTrainer.Optim;

/// <summary>
/// A host copy of one member's optimizer state: its step counter and every state arena (SGD's momentum; Adam's m and v),
/// each as long as the parameter arena. <see cref="Optimizer.RestoreState"/> puts it back bit for bit.
/// </summary>
/// <param name="Steps">The optimizer's step counter.</param>
/// <param name="Buffers">The state arenas in the optimizer's own order.</param>
public sealed record OptimizerState(long Steps, IReadOnlyList<float[]> Buffers)
{
    /// <summary>Downloads <paramref name="arenas"/> into a new state.</summary>
    internal static OptimizerState Capture(long steps, params Tensor[] arenas) =>
        new(steps, [.. arenas.Select(a =>
        {
            var values = new float[a.Length];
            a.Buffer.Owner.Download(a, values);
            return values;
        })]);

    /// <summary>Uploads the saved arenas into <paramref name="buffers"/>; throws when the state does not fit them.</summary>
    internal void Apply(string optimizer, params Tensor[] buffers)
    {
        if (Buffers.Count != buffers.Length || Buffers.Zip(buffers).Any(p => p.First.Length != p.Second.Length))
        {
            throw new ArgumentException(
                $"This state holds {Buffers.Count} arenas of lengths [{string.Join(", ", Buffers.Select(b => b.Length))}], " +
                $"but the {optimizer} optimizer has {buffers.Length} of lengths [{string.Join(", ", buffers.Select(b => b.Length))}].");
        }

        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i].Buffer.Owner.Upload(Buffers[i], buffers[i]);
        }
    }
}
