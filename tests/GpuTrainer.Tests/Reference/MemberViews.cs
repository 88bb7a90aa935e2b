using GpuTrainer.Compute;

namespace GpuTrainer.Tests.Reference;

/// <summary>
/// Values of a model's K members in tests: host-side one array per member; <see cref="Pack"/> and <see cref="Unpack"/>
/// move them to and from a device buffer laid out as a K-member <see cref="Tensor"/> at a stride with a gap after each
/// member, so that a write past a member's view shows.
/// </summary>
public static class MemberViews
{
    /// <summary>Floats left between consecutive members' views, filled with a sentinel.</summary>
    public const int Gap = 3;

    /// <summary>The sentinel in the gaps.</summary>
    public const float Sentinel = -12345f;

    /// <summary>A device buffer holding every member's values at stride length + <see cref="Gap"/>, as a K-member view.</summary>
    public static Tensor Pack(IBackend backend, float[][] values)
    {
        var length = values[0].Length;
        var stride = length + Gap;
        var host = Enumerable.Repeat(Sentinel, stride * values.Length).ToArray();
        for (var k = 0; k < values.Length; k++)
        {
            values[k].CopyTo(host, k * stride);
        }

        return backend.Put(host).Slice(0, length).ForMembers(values.Length, stride);
    }

    /// <summary>Every member's view, downloaded; throws when a gap lost its sentinel.</summary>
    public static float[][] Unpack(IBackend backend, Tensor view)
    {
        var all = backend.Get(view.Buffer.All);
        for (var k = 0; k < view.Members; k++)
        {
            var gapStart = view.Offset + (k * view.MemberStride) + view.Length;
            for (var i = gapStart; i < Math.Min(gapStart + Gap, all.Length); i++)
            {
                if (all[i] != Sentinel)
                {
                    throw new Xunit.Sdk.XunitException($"The gap after member {k} was overwritten at element {i}.");
                }
            }
        }

        return [.. Enumerable.Range(0, view.Members).Select(k => all.AsSpan(view.Offset + (k * view.MemberStride), view.Length).ToArray())];
    }
}
