using GpuTrainer.Compute;

namespace GpuTrainer.Tests.Reference;

/// <summary>Host-to-device shorthands for tests (on any backend, the reference included): a fresh buffer holding some values, and a view's values back.</summary>
public static class BackendTransfers
{
    /// <summary>Allocates a buffer of <paramref name="values"/>.Length floats holding <paramref name="values"/>.</summary>
    public static Tensor Put(this IBackend backend, float[] values)
    {
        var t = backend.Allocate(values.Length).All;
        backend.Upload(values, t);
        return t;
    }

    /// <summary>Downloads a view.</summary>
    public static float[] Get(this IBackend backend, Tensor t)
    {
        var values = new float[t.Length];
        backend.Download(t, values);
        return values;
    }
}
