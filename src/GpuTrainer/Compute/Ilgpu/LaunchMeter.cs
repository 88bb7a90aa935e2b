namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// Queues kernel launches through ILGPU's launcher delegates and counts them, with the bytes that ILGPU's launch calls
/// allocate on the queuing thread: GC.GetAllocatedBytesForCurrentThread around the delegate call alone (the caller
/// evaluates the arguments before). ILGPU 1.5.3's CPU accelerator allocates one task object per launch that holds the
/// launch dimensions and the kernel's arguments (72 bytes plus the arguments: 96 for a kernel over one view and a
/// float); its CUDA launcher passes the arguments on the stack and allocates nothing. Whatever a step allocates beyond
/// <see cref="Bytes"/> is ours (StepCounter.MaxOwnAllocatedBytesPerStep).
/// </summary>
internal sealed class LaunchMeter
{
    /// <summary>Launches queued.</summary>
    public long Launches { get; private set; }

    /// <summary>Bytes allocated inside ILGPU's launch calls on the queuing thread.</summary>
    public long Bytes { get; private set; }

    /// <summary>Queues <paramref name="kernel"/>(a1, a2).</summary>
    public void Launch<T1, T2>(Action<T1, T2> kernel, T1 a1, T2 a2)
    {
        var start = Begin();
        kernel(a1, a2);
        End(start);
    }

    /// <summary>Queues <paramref name="kernel"/>(a1, ..., a3).</summary>
    public void Launch<T1, T2, T3>(Action<T1, T2, T3> kernel, T1 a1, T2 a2, T3 a3)
    {
        var start = Begin();
        kernel(a1, a2, a3);
        End(start);
    }

    /// <summary>Queues <paramref name="kernel"/>(a1, ..., a4).</summary>
    public void Launch<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel, T1 a1, T2 a2, T3 a3, T4 a4)
    {
        var start = Begin();
        kernel(a1, a2, a3, a4);
        End(start);
    }

    /// <summary>Queues <paramref name="kernel"/>(a1, ..., a5).</summary>
    public void Launch<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        var start = Begin();
        kernel(a1, a2, a3, a4, a5);
        End(start);
    }

    /// <summary>Queues <paramref name="kernel"/>(a1, ..., a6).</summary>
    public void Launch<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        var start = Begin();
        kernel(a1, a2, a3, a4, a5, a6);
        End(start);
    }

    /// <summary>Queues <paramref name="kernel"/>(a1, ..., a7).</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7>(
        Action<T1, T2, T3, T4, T5, T6, T7> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
    {
        var start = Begin();
        kernel(a1, a2, a3, a4, a5, a6, a7);
        End(start);
    }

    /// <summary>Queues <paramref name="kernel"/>(a1, ..., a8).</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(
        Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        var start = Begin();
        kernel(a1, a2, a3, a4, a5, a6, a7, a8);
        End(start);
    }

    /// <summary>Queues <paramref name="kernel"/>(a1, ..., a9).</summary>
    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(
        Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9)
    {
        var start = Begin();
        kernel(a1, a2, a3, a4, a5, a6, a7, a8, a9);
        End(start);
    }

    private long Begin()
    {
        Launches++;
        return GC.GetAllocatedBytesForCurrentThread();
    }

    private void End(long start) => Bytes += GC.GetAllocatedBytesForCurrentThread() - start;
}
