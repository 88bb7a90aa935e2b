using GpuTrainer.Compute;

namespace GpuTrainer.Tests.Reference;

/// <summary>
/// The float64 reference of the grouped operations: per model k, the single-model operation of the
/// <see cref="GpuTrainer.Compute.Reference.ReferenceBackend"/> on model k's values. Values of a group live host-side as one array per model; <see cref="Pack"/> and
/// <see cref="Unpack"/> move them to and from a device buffer laid out as a <see cref="GroupTensor"/> (at a stride with
/// a gap after each model, so that a write past a model's view shows).
/// </summary>
public static class ReferenceGrouped
{
    /// <summary>Floats left between consecutive models' views, filled with a sentinel.</summary>
    public const int Gap = 3;

    /// <summary>The sentinel in the gaps.</summary>
    public const float Sentinel = -12345f;

    /// <summary>Runs <paramref name="reference"/> for every model and returns its results, one per model.</summary>
    public static double[][] PerModel(int models, Func<int, double[]> reference) => [.. Enumerable.Range(0, models).Select(reference)];

    /// <summary>A device buffer holding every model's values at stride length + <see cref="Gap"/>, as a group view.</summary>
    public static GroupTensor Pack(IBackend backend, float[][] values)
    {
        var length = values[0].Length;
        var stride = length + Gap;
        var host = Enumerable.Repeat(Sentinel, stride * values.Length).ToArray();
        for (var k = 0; k < values.Length; k++)
        {
            values[k].CopyTo(host, k * stride);
        }

        return new GroupTensor(backend.Put(host).Slice(0, length), stride, values.Length);
    }

    /// <summary>Every model's view, downloaded; throws when a gap lost its sentinel.</summary>
    public static float[][] Unpack(IBackend backend, GroupTensor group)
    {
        var all = backend.Get(new Tensor(group.First.Buffer, 0, group.First.Buffer.Length));
        for (var k = 0; k < group.Models; k++)
        {
            var gapStart = (k * group.Stride) + group.First.Length;
            for (var i = gapStart; i < Math.Min(gapStart + Gap, all.Length); i++)
            {
                if (all[i] != Sentinel)
                {
                    throw new Xunit.Sdk.XunitException($"The gap after model {k} was overwritten at element {i}.");
                }
            }
        }

        return [.. Enumerable.Range(0, group.Models).Select(k => all.AsSpan(k * group.Stride, group.First.Length).ToArray())];
    }
}
