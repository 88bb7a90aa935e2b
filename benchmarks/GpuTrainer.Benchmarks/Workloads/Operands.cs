using GpuTrainer.Compute;

namespace GpuTrainer.Benchmarks.Workloads;

/// <summary>Buffers of one prepared workload on one backend, filled from a fixed seed and disposed together.</summary>
internal sealed class Operands : IDisposable
{
    private readonly IBackend _backend;
    private readonly Random _random = new(1234);
    private readonly List<DeviceBuffer> _buffers = [];

    public Operands(IBackend backend) => _backend = backend;

    /// <summary>A view of <paramref name="length"/> values uniform in [-1, 1).</summary>
    public Tensor Random(long length)
    {
        var values = new float[checked((int)length)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(_random.NextDouble() * 2 - 1);
        }

        return Put(values);
    }

    /// <summary>A view holding <paramref name="values"/>.</summary>
    public Tensor Put(float[] values)
    {
        var view = Zeros(values.Length);
        _backend.Upload(values, view);
        return view;
    }

    /// <summary>A zero-filled view of <paramref name="length"/> values.</summary>
    public Tensor Zeros(long length)
    {
        var buffer = _backend.Allocate(checked((int)length));
        _buffers.Add(buffer);
        return buffer.All;
    }

    /// <summary>Downloads <paramref name="view"/>.</summary>
    public float[] Read(Tensor view)
    {
        var values = new float[view.Length];
        _backend.Download(view, values);
        return values;
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers)
        {
            buffer.Dispose();
        }
    }
}
