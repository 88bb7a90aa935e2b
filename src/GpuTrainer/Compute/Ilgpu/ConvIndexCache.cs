using GpuTrainer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>The device copies of one geometry's index tables (ConvIndexTables.cs); the stride-1 tables are empty at other strides.</summary>
/// <param name="OutputPixels">ConvIndexTables.OutputPixels.</param>
/// <param name="Patches">ConvIndexTables.Patches.</param>
/// <param name="InputPixels">ConvIndexTables.InputPixels (stride 1 only).</param>
/// <param name="FlippedTaps">ConvIndexTables.FlippedTaps (stride 1 only).</param>
internal readonly record struct ConvIndexViews(
    ArrayView<ConvIndex> OutputPixels, ArrayView<ConvIndex> Patches, ArrayView<ConvIndex> InputPixels, ArrayView<ConvIndex> FlippedTaps);

/// <summary>
/// Convolution index tables on the device, built and uploaded once per geometry and kept until the backend is
/// disposed. Entries of image n do not depend on the batch size, so the tables of a batch serve every smaller one
/// (an epoch's last, partial batch uploads nothing); only a larger batch rebuilds them.
/// </summary>
/// <param name="accelerator">Where the tables live.</param>
internal sealed class ConvIndexCache(Accelerator accelerator) : IDisposable
{
    // Keyed by the geometry with N = 0; Images is the batch size the tables were built for.
    private readonly Dictionary<ConvGeometry, (ConvIndexViews Views, MemoryBuffer1D<ConvIndex, Stride1D.Dense>[] Buffers, int Images)> _tables = [];

    /// <summary>
    /// Tables covering <paramref name="g"/> (possibly built for a larger batch); true in <paramref name="uploaded"/> when
    /// this call built them (an upload waits for the device).
    /// </summary>
    /// <param name="g">Sizes.</param>
    /// <param name="uploaded">Whether the tables were uploaded now.</param>
    public ConvIndexViews For(ConvGeometry g, out bool uploaded)
    {
        var key = g with { N = 0 };
        uploaded = !_tables.TryGetValue(key, out var entry) || entry.Images < g.N;
        if (uploaded)
        {
            if (entry.Buffers is { } stale)
            {
                // Queued launches may still read the smaller tables.
                accelerator.DefaultStream.Synchronize();
                foreach (var buffer in stale)
                {
                    buffer.Dispose();
                }
            }

            var stride1 = g.SH == 1 && g.SW == 1;
            MemoryBuffer1D<ConvIndex, Stride1D.Dense>[] buffers = stride1
                ? [Upload(ConvIndexTables.OutputPixels(g)), Upload(ConvIndexTables.Patches(g)), Upload(ConvIndexTables.InputPixels(g)), Upload(ConvIndexTables.FlippedTaps(g))]
                : [Upload(ConvIndexTables.OutputPixels(g)), Upload(ConvIndexTables.Patches(g))];
            var views = new ConvIndexViews(
                buffers[0].View, buffers[1].View, stride1 ? buffers[2].View : default, stride1 ? buffers[3].View : default);
            entry = (views, buffers, g.N);
            _tables[key] = entry;
        }

        return entry.Views;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in _tables.Values.SelectMany(t => t.Buffers))
        {
            buffer.Dispose();
        }

        _tables.Clear();
    }

    private MemoryBuffer1D<ConvIndex, Stride1D.Dense> Upload(ConvIndex[] table) => accelerator.Allocate1D(table);
}
