namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// The fast managed backend for machines without a GPU: Vector256 / Vector512 (FMA where the CPU has it) loops and a
/// packed, register-blocked SGEMM, with work split over a fixed number of threads. Operations run
/// synchronously on the calling thread (helped by the backend's own worker threads, CpuParallel), except a group's, which
/// run member by member at the next flush (CpuBackend.Members.cs). Results are bit-identical whatever the thread count.
/// This file holds the <see cref="IBackend"/> surface and its argument checks; the arithmetic lives in
/// one file per op family: CpuGemm (packed SGEMM), CpuDot (long-k dot products), CpuConv (im2col on top of
/// both, the scalar path's yardstick), CpuConvDirect (the forward pass without im2col), CpuConvData and CpuConvDataImages (the
/// backward-data pass), CpuConvWeight and CpuConvWeightRows (the backward-weight pass), CpuPooling and CpuMaxPool2x2, CpuElementwise, CpuLoss,
/// CpuOptimizers; CpuTranspose transposes matrices through register squares, CpuParallel splits work
/// and CpuScratch keeps per-thread scratch memory, so that a warm training step allocates nothing.
/// </summary>
public sealed unsafe partial class CpuBackend : MemberLoopBackend
{
    private readonly CpuParallel _parallel;
    private readonly CpuVectorPath _path;
    private int _buffers;

    /// <summary>Creates the backend.</summary>
    /// <param name="threads">Threads an operation may use; defaults to <see cref="Environment.ProcessorCount"/>.</param>
    public CpuBackend(int? threads = null)
        : this(threads, CpuVectorPaths.Best)
    {
    }

    /// <summary>Creates the backend with its GEMM on <paramref name="path"/> (tests and benchmarks run every path on one machine).</summary>
    internal CpuBackend(int? threads, CpuVectorPath path)
    {
        _path = path;
        var count = threads ?? Environment.ProcessorCount;
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), $"The CPU backend needs at least one thread, got {count}.");
        }

        _parallel = new CpuParallel(count);
        Name = $"CPU (managed, {count} thread{(count == 1 ? "" : "s")})";
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override DeviceKind Kind => DeviceKind.Cpu;

    /// <inheritdoc/>
    public override DeviceBuffer Allocate(int length) => new CpuBuffer(this, length, Interlocked.Increment(ref _buffers));

    /// <inheritdoc/>
    protected override void UploadMember(ReadOnlySpan<float> source, Tensor destination)
    {
        Flush();
        RequireLength(destination, source.Length, nameof(destination), "the source span");
        source.CopyTo(Span(destination, nameof(destination)));
    }

    /// <inheritdoc/>
    protected override void DownloadMember(Tensor source, Span<float> destination)
    {
        Flush();
        RequireLength(source, destination.Length, nameof(source), "the destination span");
        Span(source, nameof(source)).CopyTo(destination);
    }

    /// <inheritdoc/>
    protected override void FillMember(Tensor destination, float value) => Span(destination, nameof(destination)).Fill(value);

    /// <inheritdoc/>
    protected override void CopyMember(Tensor source, Tensor destination)
    {
        RequireLength(destination, source.Length, nameof(destination), "source");
        Span(source, nameof(source)).CopyTo(Span(destination, nameof(destination)));
    }

    /// <summary>Runs what a group queued (CpuBackend.Members.cs); every other operation has finished when it returns.</summary>
    public override void Synchronize() => Flush();

    /// <inheritdoc/>
    protected override void GemmMember(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        shape.Validate();
        fixed (float* pa = &At(a, shape.ASize, nameof(a)), pb = &At(b, shape.BSize, nameof(b)), pc = &At(c, shape.CSize, nameof(c)))
        {
            CpuGemm.Batched(shape, alpha, pa, pb, beta, pc, _parallel, _path);
        }
    }

    /// <inheritdoc/>
    protected override void Conv2dForwardMember(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output)
    {
        shape.Validate();
        fixed (float* x = &At(input, InputSize(shape), nameof(input)), w = &At(weight, WeightSize(shape), nameof(weight)),
               y = &At(output, OutputSize(shape), nameof(output)))
        {
            CpuConv.Forward(shape, x, w, y, _parallel, _path);
        }
    }

    /// <inheritdoc/>
    protected override void Conv2dBackwardDataMember(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput)
    {
        shape.Validate();
        fixed (float* dy = &At(dOutput, OutputSize(shape), nameof(dOutput)), w = &At(weight, WeightSize(shape), nameof(weight)),
               dx = &At(dInput, InputSize(shape), nameof(dInput)))
        {
            CpuConv.BackwardData(shape, dy, w, dx, _parallel, _path);
        }
    }

    /// <inheritdoc/>
    protected override void Conv2dBackwardWeightMember(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight)
    {
        shape.Validate();
        fixed (float* x = &At(input, InputSize(shape), nameof(input)), dy = &At(dOutput, OutputSize(shape), nameof(dOutput)),
               dw = &At(dWeight, WeightSize(shape), nameof(dWeight)))
        {
            CpuConv.BackwardWeight(shape, x, dy, dw, _parallel, _path);
        }
    }

    /// <inheritdoc/>
    protected override void MaxPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output)
    {
        shape.Validate();
        fixed (float* x = &At(input, InputSize(shape), nameof(input)), y = &At(output, OutputSize(shape), nameof(output)))
        {
            CpuPooling.MaxForward(shape, x, y, _parallel);
        }
    }

    /// <inheritdoc/>
    protected override void MaxPoolBackwardMember(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput)
    {
        shape.Validate();
        fixed (float* x = &At(input, InputSize(shape), nameof(input)), dy = &At(dOutput, OutputSize(shape), nameof(dOutput)),
               dx = &At(dInput, InputSize(shape), nameof(dInput)))
        {
            CpuPooling.MaxBackward(shape, x, dy, dx, _parallel);
        }
    }

    /// <summary>
    /// <see cref="MaxPoolBackward"/> with ReLU's backward applied plane by plane in the same pass (the same arithmetic as
    /// the unfused sequence, so the same bits); with Identity it is MaxPoolBackward alone.
    /// </summary>
    protected override void MaxPoolActivationBackwardMember(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation)
    {
        if (inputActivation != Activation.Relu)
        {
            MaxPoolBackwardMember(shape, input, dOutput, dInput);
            return;
        }

        shape.Validate();
        fixed (float* x = &At(input, InputSize(shape), nameof(input)), dy = &At(dOutput, OutputSize(shape), nameof(dOutput)),
               dx = &At(dInput, InputSize(shape), nameof(dInput)))
        {
            CpuPooling.MaxBackward(shape, x, dy, dx, _parallel, relu: true);
        }
    }

    /// <inheritdoc/>
    protected override void AvgPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output)
    {
        shape.Validate();
        fixed (float* x = &At(input, InputSize(shape), nameof(input)), y = &At(output, OutputSize(shape), nameof(output)))
        {
            CpuPooling.AvgForward(shape, x, y, _parallel);
        }
    }

    /// <inheritdoc/>
    protected override void AvgPoolBackwardMember(in Pool2dShape shape, Tensor dOutput, Tensor dInput)
    {
        shape.Validate();
        fixed (float* dy = &At(dOutput, OutputSize(shape), nameof(dOutput)), dx = &At(dInput, InputSize(shape), nameof(dInput)))
        {
            CpuPooling.AvgBackward(shape, dy, dx, _parallel);
        }
    }

    /// <inheritdoc/>
    protected override void BiasActivationMember(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation)
    {
        var count = Size(outer, channels, inner);
        ref var biasStart = ref bias.IsEmpty ? ref System.Runtime.CompilerServices.Unsafe.NullRef<float>() : ref At(bias, channels, nameof(bias));
        fixed (float* px = &At(x, count, nameof(x)), pb = &biasStart, py = &At(y, count, nameof(y)))
        {
            CpuElementwise.BiasActivation(px, pb, py, outer, channels, inner, activation, _parallel);
        }
    }

    /// <inheritdoc/>
    protected override void ActivationBackwardMember(Tensor y, Tensor dy, Tensor dx, int count, Activation activation)
    {
        var size = Size(count);
        fixed (float* py = &At(y, size, nameof(y)), pdy = &At(dy, size, nameof(dy)), pdx = &At(dx, size, nameof(dx)))
        {
            CpuElementwise.ActivationBackward(py, pdy, pdx, count, activation, _parallel);
        }
    }

    /// <inheritdoc/>
    protected override void BiasGradientMember(Tensor dy, Tensor dBias, int outer, int channels, int inner)
    {
        var count = Size(outer, channels, inner);
        fixed (float* pdy = &At(dy, count, nameof(dy)), pdb = &At(dBias, channels, nameof(dBias)))
        {
            CpuElementwise.BiasGradient(pdy, pdb, outer, channels, inner, _parallel);
        }
    }

    /// <inheritdoc/>
    protected override void SoftmaxCrossEntropyMember(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats)
    {
        var count = Size(rows, classes);
        fixed (float* pl = &At(logits, count, nameof(logits)), py = &At(labels, rows, nameof(labels)),
               pd = &At(dLogits, count, nameof(dLogits)), ps = &At(stats, 2, nameof(stats)))
        {
            CpuLoss.SoftmaxCrossEntropy(pl, py, rows, classes, gradScale, pd, ps);
        }
    }

    /// <inheritdoc/>
    protected override void GatherBatchMember(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut)
    {
        Flush();
        CpuGather.Batch(
            Span(images, nameof(images)), Span(labels, nameof(labels)), Span(indices, nameof(indices)), offset, count, imageLength,
            Span(imagesOut, nameof(imagesOut)), Span(labelsOut, nameof(labelsOut)), _parallel);
    }

    /// <inheritdoc/>
    protected override void OptimizerStepMember(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor row)
    {
        var count = parameters.Length;
        fixed (float* p = &At(parameters, count, nameof(parameters)), g = &At(gradients, count, nameof(gradients)),
               s1 = &At(state1, count, nameof(state1)), s2 = &At(state2, count, nameof(state2)), h = &At(row, OptimizerTable.RowFloats, nameof(row)))
        {
            CpuOptimizers.Step(p, g, s1, s2, count, new ReadOnlySpan<float>(h, OptimizerTable.RowFloats), _parallel);
        }
    }

    /// <summary>Drops what is queued (CpuBackend.Members.cs), stops the worker threads; each <see cref="CpuBuffer"/> releases its own memory.</summary>
    public override void Dispose()
    {
        DropQueued();
        _parallel.Dispose();
    }

    // The first element of a view that must belong to this backend and hold at least `required` elements.
    private ref float At(Tensor view, long required, string name)
    {
        view.Require(required, name);
        return ref view.OwnedBy<CpuBuffer>(this, name).At(view.Offset);
    }

    private Span<float> Span(Tensor view, string name) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref At(view, view.Length, name), view.Length);

    // Views whose length is part of the contract (copies, optimizer arenas) must match exactly.
    private static void RequireLength(Tensor view, int length, string name, string other)
    {
        if (!view.IsEmpty && view.Length != length)
        {
            throw new ArgumentException($"Tensor '{name}' has {view.Length} elements but {other} has {length}.", name);
        }
    }

    private static long InputSize(in Conv2dShape s) => Size(s.N, s.C, s.H, s.W);

    private static long WeightSize(in Conv2dShape s) => Size(s.OC, s.C, s.KH, s.KW);

    private static long OutputSize(in Conv2dShape s) => Size(s.N, s.OC, s.OutH, s.OutW);

    private static long InputSize(in Pool2dShape s) => Size(s.N, s.C, s.H, s.W);

    private static long OutputSize(in Pool2dShape s) => Size(s.N, s.C, s.OutH, s.OutW);

    // Product of positive sizes in 64 bits; stops growing past int.MaxValue, which no view can hold anyway.
    private static long Size(params ReadOnlySpan<int> sizes)
    {
        long product = 1;
        foreach (var size in sizes)
        {
            if (size <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), $"Sizes must be positive, got [{string.Join(", ", sizes.ToArray())}].");
            }

            product = Math.Min(product * size, (long)int.MaxValue + 1);
        }

        return product;
    }
}
