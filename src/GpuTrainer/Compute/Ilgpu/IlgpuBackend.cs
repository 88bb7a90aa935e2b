using GpuTrainer.Kernels;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// Our ILGPU kernels (kernels/GpuTrainer.Kernels) on CUDA, an OpenCL GPU or ILGPU's CPU accelerator.
/// Every kernel is compiled once at construction into a delegate held here (ILGPU's own cache holds
/// only weak references); every operation validates its arguments, then queues exactly ONE launch for every member
/// of the group its views cover (two for a split-K backward-weight) on the accelerator's default stream: GEMM-shaped
/// ops as GEMM batches member x the op's own batches (Gemm.cs), the others with the member index in the grid
/// (MemberStrides.cs). Each view goes to the kernel as one accelerator view over every member's extent and its member
/// stride (0 for a shared view, like the input batch). Split-K counts, GEMM loops, bias-gradient slices and the loss's
/// group size are decided from one member's shape, so a member's bits never depend on K.
/// Only <see cref="Download"/> and <see cref="Synchronize"/> wait. The fused step operations are in IlgpuBackend.Fused.cs.
/// </summary>
public sealed partial class IlgpuBackend : IBackend
{
    // Conv backward-weight splits the batch until about this many groups run (see Conv2d.cs).
    private const int TargetGroups = 256;

    private readonly Context _context;
    private readonly Accelerator _accelerator;

    private readonly GemmVariants<GemmOperands> _gemm;
    private readonly GemmVariants<ConvForwardOperands> _convForward;
    private readonly GemmVariants<ConvBackwardDataOperands> _convBackwardData;
    private readonly GemmVariants<ConvBackwardDataStride1Operands> _convBackwardDataStride1;
    private readonly GemmVariants<ConvBackwardWeightOperands> _convBackwardWeight;
    private readonly GemmVariants<ConvForwardBiasActivationOperands> _convForwardFused;
    private readonly GemmVariants<GemmBiasActivationOperands> _linearForward;
    private readonly GemmVariants<LinearBackwardOperands> _linearBackward;
    private readonly GemmVariants<ConvBackwardWeightBiasOperands> _convBackwardWeightBias;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, MemberStrides> _sumSlicePairs;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, MemberStrides> _maxPoolForward;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, MemberStrides> _maxPoolBackward;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, MemberStrides> _avgPoolForward;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, MemberStrides> _avgPoolBackward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, MemberStrides> _biasActivation;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, MemberStrides> _activationBackward;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int, MemberStrides> _biasGradient;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, MemberStrides> _sumSlices;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, MemberStrides> _softmaxCrossEntropy;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerStrides> _optimizer;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _gather;
    private readonly Action<Index1D, ArrayView<float>, float, MemberStrides> _fill;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, MemberStrides> _copy;

    // Launches and the bytes ILGPU's launch calls allocate; every launch goes through it.
    private readonly LaunchMeter _meter = new();

    // Which GEMM loop each GEMM-shaped launch runs (the accelerator's cost model, or a variant a test pinned).
    private readonly GemmChoice _gemmChoice;

    private long _synchronizations;

    // Index tables of the convolution loaders, one set per geometry.
    private readonly ConvIndexCache _convTables;

    // Arrival counters of the multi-group bias gradient (ReductionKernels.BiasGradientKernel).
    private MemoryBuffer1D<int, Stride1D.Dense>? _arrivals;

    // Device scratch for split-K and bias-gradient partials; grows on demand, only ever used on the default stream.
    private MemoryBuffer1D<float, Stride1D.Dense>? _scratch;

    private IlgpuBackend(Context context, Device device, DeviceKind kind)
    {
        _context = context;
        _accelerator = device.CreateAccelerator(context);
        Kind = kind;
        Name = device is CPUDevice cpu
            ? $"ILGPU CPU accelerator ({cpu.NumMultiprocessors} x {cpu.MaxNumThreadsPerGroup} threads)"
            : IlgpuDevices.Label(device);

        var a = _accelerator;
        _gemmChoice = new(a.AcceleratorType);
        _gemm = new(a, _meter, _gemmChoice);
        _convForward = new(a, _meter, _gemmChoice);
        _convBackwardData = new(a, _meter, _gemmChoice);
        _convBackwardDataStride1 = new(a, _meter, _gemmChoice);
        _convTables = new(a);
        _convBackwardWeight = new(a, _meter, _gemmChoice);
        _convForwardFused = new(a, _meter, _gemmChoice);
        _linearForward = new(a, _meter, _gemmChoice);
        _linearBackward = new(a, _meter, _gemmChoice);
        _convBackwardWeightBias = new(a, _meter, _gemmChoice);
        _sumSlicePairs = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, MemberStrides>(
            SplitSumKernels.SumSlicePairsKernel);
        _maxPoolForward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, MemberStrides>(PoolingKernels.MaxForwardKernel);
        _maxPoolBackward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, MemberStrides>(
            PoolingKernels.MaxBackwardKernel);
        _avgPoolForward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, MemberStrides>(PoolingKernels.AvgForwardKernel);
        _avgPoolBackward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, MemberStrides>(PoolingKernels.AvgBackwardKernel);
        _biasActivation = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, MemberStrides>(
            ActivationKernels.BiasActivationKernel);
        _activationBackward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, MemberStrides>(
            ActivationKernels.BackwardKernel);
        _biasGradient = a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int, MemberStrides>(
            ReductionKernels.BiasGradientKernel, IlgpuKernelCatalog.SpecializationOf(((Delegate)ReductionKernels.BiasGradientKernel).Method));
        _sumSlices = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, MemberStrides>(ReductionKernels.SumSlicesKernel);
        _softmaxCrossEntropy = a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, MemberStrides>(
            LossKernels.SoftmaxCrossEntropyKernel, IlgpuKernelCatalog.SpecializationOf(((Delegate)LossKernels.SoftmaxCrossEntropyKernel).Method));
        _optimizer = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerStrides>(
            OptimizerKernels.StepKernel);
        _gather = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(
            GatherKernels.BatchKernel);
        _fill = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, MemberStrides>(MemoryKernels.FillKernel);
        _copy = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, MemberStrides>(MemoryKernels.CopyKernel);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public DeviceKind Kind { get; }

    /// <summary>
    /// Kernel launches and host synchronisations since this backend was created. A synchronisation is every
    /// point where the host waits for the device: <see cref="Download"/>, <see cref="Synchronize"/>, an
    /// <see cref="Upload"/> (ILGPU copies from pageable host memory and waits for the stream), scratch growth and
    /// the upload of a new convolution geometry's index tables.
    /// </summary>
    public IlgpuCounters Counters => new(_meter.Launches, _synchronizations, _meter.Bytes);

    /// <summary>Which GEMM loop variant the GEMM-shaped operations run (tests pin one to run each loop through the backend).</summary>
    internal GemmChoice GemmChoice => _gemmChoice;

    /// <summary>The accelerator the kernels run on (tests load kernel variants on it).</summary>
    internal Accelerator Accelerator => _accelerator;

    /// <summary>
    /// Opens the first ILGPU device of <paramref name="kind"/>: <see cref="DeviceKind.Cuda"/>,
    /// <see cref="DeviceKind.OpenCl"/> (GPU devices only) or <see cref="DeviceKind.IlgpuCpu"/>.
    /// </summary>
    /// <exception cref="DeviceNotFoundException">No such device exists on this machine.</exception>
    public static IlgpuBackend Create(DeviceKind kind)
    {
        if (kind is not (DeviceKind.Cuda or DeviceKind.OpenCl or DeviceKind.IlgpuCpu))
        {
            throw new ArgumentException($"Device kind {kind} is not an ILGPU accelerator; use Cuda, OpenCl or IlgpuCpu.", nameof(kind));
        }

        var context = IlgpuDevices.CreateContext();
        try
        {
            var device = IlgpuDevices.Find(context, kind) ?? throw new DeviceNotFoundException(
                $"No {IlgpuDevices.Describe(kind)} device was found (ILGPU saw: {string.Join(", ", context.Devices.Select(IlgpuDevices.Label))}).");
            return new IlgpuBackend(context, device, kind);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public DeviceBuffer Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var memory = _accelerator.Allocate1D<float>(length);
        memory.MemSetToZero();
        return new IlgpuBuffer(this, memory);
    }

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> source, Tensor destination)
    {
        RequireExactly(One(destination, nameof(destination)), source.Length, nameof(destination));
        _synchronizations++;
        Dense(destination, source.Length, nameof(destination)).CopyFromCPU(_accelerator.DefaultStream, source);
    }

    /// <inheritdoc/>
    public void Download(Tensor source, Span<float> destination)
    {
        RequireExactly(One(source, nameof(source)), destination.Length, nameof(source));
        // Waits for the queued work on the default stream, then copies.
        _synchronizations++;
        Dense(source, destination.Length, nameof(source)).CopyToCPU(_accelerator.DefaultStream, destination);
    }

    /// <inheritdoc/>
    public void Fill(Tensor destination, float value)
    {
        var members = Tensor.MembersOf(destination);
        var (view, stride) = View(destination, destination.Length, nameof(destination));
        if (destination.Length > 0)
        {
            _meter.Launch(_fill, Threads(members, destination.Length), view, value, new MemberStrides(destination.Length, stride));
        }
    }

    /// <inheritdoc/>
    public void Copy(Tensor source, Tensor destination)
    {
        var members = Tensor.MembersOf(source, destination);
        RequireExactly(destination, source.Length, nameof(destination));
        var (from, fromStride) = View(source, source.Length, nameof(source));
        var (to, toStride) = View(destination, source.Length, nameof(destination));
        if (source.Length > 0)
        {
            _meter.Launch(_copy, Threads(members, source.Length), from, to, new MemberStrides(source.Length, fromStride, toStride));
        }
    }

    /// <summary>
    /// destination = source through the driver's own device-to-device copy (cuMemcpy and the like) instead of our
    /// copy kernel; for measuring one against the other (gpubench). One member; lengths must match.
    /// </summary>
    public void DriverCopy(Tensor source, Tensor destination)
    {
        RequireExactly(One(destination, nameof(destination)), source.Length, nameof(destination));
        Dense(One(source, nameof(source)), source.Length, nameof(source)).CopyTo(_accelerator.DefaultStream, Dense(destination, source.Length, nameof(destination)));
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        _synchronizations++;
        _accelerator.Synchronize();
    }

    /// <inheritdoc/>
    public void Gemm(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        shape.Validate();
        var members = Tensor.MembersOf(a, b, c);
        var (av, aStride) = View(a, shape.ASize, nameof(a));
        var (bv, bStride) = View(b, shape.BSize, nameof(b));
        var (cv, cStride) = View(c, shape.CSize, nameof(c));
        var operands = new GemmOperands(
            av, bv, cv, shape.M, shape.N, shape.K, shape.TransA, shape.TransB, shape.StrideA, shape.StrideB, shape.StrideC, alpha, beta, aStride, bStride, cStride);
        _gemm.Launch(operands, shape.Batch, members);
    }

    /// <inheritdoc/>
    public void Conv2dForward(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output)
    {
        var members = Tensor.MembersOf(input, weight, output);
        var g = Geometry(shape);
        var tables = Tables(g);
        _convForward.Launch(ForwardOperands(shape, g, tables, input, weight, output), 1, members);
    }

    /// <inheritdoc/>
    public void Conv2dBackwardData(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput)
    {
        var members = Tensor.MembersOf(dOutput, weight, dInput);
        var g = Geometry(shape);
        var tables = Tables(g);
        var (dy, dyStride) = View(dOutput, shape.OutputSize, nameof(dOutput));
        var (w, wStride) = View(weight, shape.WeightSize, nameof(weight));
        var (dx, dxStride) = View(dInput, shape.InputSize, nameof(dInput));
        if (g.SH == 1 && g.SW == 1)
        {
            _convBackwardDataStride1.Launch(
                new ConvBackwardDataStride1Operands(g, tables.InputPixels, tables.FlippedTaps, dy, w, dx, dyStride, wStride, dxStride), 1, members);
        }
        else
        {
            _convBackwardData.Launch(new ConvBackwardDataOperands(g, dy, w, dx, dyStride, wStride, dxStride), 1, members);
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight)
    {
        var members = Tensor.MembersOf(input, dOutput, dWeight);
        var g = Geometry(shape);
        var (x, xStride) = View(input, shape.InputSize, nameof(input));
        var (dy, dyStride) = View(dOutput, shape.OutputSize, nameof(dOutput));
        var (dw, dwStride) = View(dWeight, shape.WeightSize, nameof(dWeight));

        // Split-K from one member's shape; member k's partials are (splits, OC*Patch) at k * splits * OC*Patch of the scratch.
        var (imagesPerSplit, splits) = SplitImages(g, g.Patch);
        var (partials, partialsStride) = splits == 1 ? (dw, dwStride) : (Scratch(checked(members * splits * shape.WeightSize)), splits * shape.WeightSize);
        var tables = Tables(g);
        var operands = new ConvBackwardWeightOperands(g, imagesPerSplit, tables.OutputPixels, tables.Patches, x, dy, partials, xStride, dyStride, partialsStride);
        _convBackwardWeight.Launch(operands, splits, members);
        if (splits > 1)
        {
            _meter.Launch(_sumSlices, Threads(members, shape.WeightSize), partials, dw, splits, new MemberStrides(shape.WeightSize, partialsStride, dwStride));
        }
    }

    /// <inheritdoc/>
    public void MaxPoolForward(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var members = Tensor.MembersOf(input, output);
        var g = Geometry(shape);
        var (x, xStride) = View(input, shape.InputSize, nameof(input));
        var (y, yStride) = View(output, shape.OutputSize, nameof(output));
        _meter.Launch(_maxPoolForward, Threads(members, shape.OutputSize), g, x, y, new MemberStrides(shape.OutputSize, xStride, yStride));
    }

    /// <inheritdoc/>
    public void MaxPoolBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput) =>
        MaxPoolActivationBackward(shape, input, dOutput, dInput, Activation.Identity);

    /// <inheritdoc/>
    public void AvgPoolForward(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var members = Tensor.MembersOf(input, output);
        var g = Geometry(shape);
        var (x, xStride) = View(input, shape.InputSize, nameof(input));
        var (y, yStride) = View(output, shape.OutputSize, nameof(output));
        _meter.Launch(_avgPoolForward, Threads(members, shape.OutputSize), g, x, y, new MemberStrides(shape.OutputSize, xStride, yStride));
    }

    /// <inheritdoc/>
    public void AvgPoolBackward(in Pool2dShape shape, Tensor dOutput, Tensor dInput)
    {
        var members = Tensor.MembersOf(dOutput, dInput);
        var g = Geometry(shape);
        var (dy, dyStride) = View(dOutput, shape.OutputSize, nameof(dOutput));
        var (dx, dxStride) = View(dInput, shape.InputSize, nameof(dInput));
        _meter.Launch(_avgPoolBackward, Threads(members, shape.InputSize), g, dy, dx, new MemberStrides(shape.InputSize, dyStride, dxStride));
    }

    /// <inheritdoc/>
    public void BiasActivation(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation)
    {
        var members = Tensor.MembersOf(x, bias, y);
        var count = Count(outer, channels, inner);
        var (xv, xStride) = View(x, count, nameof(x));
        var (yv, yStride) = View(y, count, nameof(y));
        // Without a bias the kernel never reads its bias view; x stands in (empty views break OpenCL launches).
        var (bv, bStride) = bias.IsEmpty ? (xv, 0) : View(bias, channels, nameof(bias));
        if (count > 0)
        {
            _meter.Launch(
                _biasActivation, Threads(members, count), xv, bv, yv, channels, inner, bias.IsEmpty ? 0 : 1, Relu(activation), new MemberStrides(count, xStride, bStride, yStride));
        }
    }

    /// <inheritdoc/>
    public void ActivationBackward(Tensor y, Tensor dy, Tensor dx, int count, Activation activation)
    {
        var members = Tensor.MembersOf(y, dy, dx);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var (yv, yStride) = View(y, count, nameof(y));
        var (dyv, dyStride) = View(dy, count, nameof(dy));
        var (dxv, dxStride) = View(dx, count, nameof(dx));
        if (count > 0)
        {
            _meter.Launch(_activationBackward, Threads(members, count), yv, dyv, dxv, Relu(activation), new MemberStrides(count, yStride, dyStride, dxStride));
        }
    }

    /// <inheritdoc/>
    public void BiasGradient(Tensor dy, Tensor dBias, int outer, int channels, int inner)
    {
        var members = Tensor.MembersOf(dy, dBias);
        var (dyv, dyStride) = View(dy, Count(outer, channels, inner), nameof(dy));
        var (db, dbStride) = View(dBias, channels, nameof(dBias));
        if (channels > 0)
        {
            // Slices per channel from one member's shape: about TargetGroups groups per member, each with at least 4
            // elements per thread. Group row k * channels + c is member k's channel c.
            var elements = (long)outer * inner;
            var slices = (int)Math.Clamp(Math.Min((TargetGroups + channels - 1) / channels, (elements + 4 * ReductionKernels.GroupSize - 1) / (4 * ReductionKernels.GroupSize)), 1, TargetGroups);
            var groups = checked(members * channels);
            var partials = slices == 1 ? db : Scratch((long)groups * slices);
            _meter.Launch(
                _biasGradient, new KernelConfig(new Index2D(slices, groups), new Index2D(ReductionKernels.GroupSize, 1)), dyv, db, partials, Arrivals(groups), outer, inner,
                new MemberStrides(channels, dyStride, dbStride));
        }
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats)
    {
        var members = Tensor.MembersOf(logits, labels, dLogits, stats);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var size = (long)rows * classes;
        var (lv, lStride) = View(logits, size, nameof(logits));
        var (labelView, labelStride) = View(labels, rows, nameof(labels));
        var (dv, dStride) = View(dLogits, size, nameof(dLogits));
        var (sv, sStride) = View(stats, 2, nameof(stats));
        // One group per member; its size (and so every sum's order) from the rows alone.
        _meter.Launch(
            _softmaxCrossEntropy, new KernelConfig(new Index1D(members), new Index1D(LossKernels.GroupThreadsFor(rows))), lv, labelView, dv, sv, classes, gradScale,
            new MemberStrides(rows, lStride, labelStride, dStride, sStride));
    }

    /// <inheritdoc/>
    public void GatherBatch(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut)
    {
        GatherChecks.Validate(images, labels, indices, offset, count, imageLength, imagesOut, labelsOut);
        var samples = labels.Length;
        var size = (long)count * imageLength;
        _meter.Launch(_gather,
            checked((int)size), Dense(images, images.Length, nameof(images)).AsContiguous(), Dense(labels, samples, nameof(labels)).AsContiguous(),
            Dense(indices, (long)offset + count, nameof(indices)).AsContiguous(), Dense(imagesOut, size, nameof(imagesOut)).AsContiguous(),
            Dense(labelsOut, count, nameof(labelsOut)).AsContiguous(), offset, imageLength);
    }

    /// <inheritdoc/>
    public void OptimizerStep(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor table)
    {
        OptimizerTable.Check(parameters, gradients, state1, state2, table);
        var members = Tensor.MembersOf(parameters, gradients, state1, state2, table);
        var count = parameters.Length;
        var (p, pStride) = View(parameters, count, nameof(parameters));
        var (g, gStride) = View(gradients, count, nameof(gradients));
        var (s1, s1Stride) = View(state1, count, nameof(state1));
        var (s2, s2Stride) = View(state2, count, nameof(state2));
        var (rows, rowStride) = View(table, OptimizerTable.RowFloats, nameof(table));
        if (count > 0)
        {
            _meter.Launch(_optimizer, Threads(members, count), p, g, s1, s2, rows, new OptimizerStrides(count, pStride, gStride, s1Stride, s2Stride, rowStride));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _scratch?.Dispose();
        _arrivals?.Dispose();
        _convTables.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }

    // Zeroed arrival counters of the bias gradient, one per member and channel (each launch leaves them 0).
    private ArrayView<int> Arrivals(int groups) => Grown(ref _arrivals, groups);

    // A scratch view of at least `length` floats.
    private ArrayView<float> Scratch(long length) => Grown(ref _scratch, length);

    // A view of at least `length` elements of `buffer`, zeroed when it is (re)allocated; growing it waits for
    // queued work that may still use the old one.
    private ArrayView<T> Grown<T>(ref MemoryBuffer1D<T, Stride1D.Dense>? buffer, long length)
        where T : unmanaged
    {
        if (buffer is null || buffer.Length < length)
        {
            _synchronizations++;
            _accelerator.DefaultStream.Synchronize();
            buffer?.Dispose();
            buffer = _accelerator.Allocate1D<T>(length);
            buffer.MemSetToZero();
        }

        return buffer.View.SubView(0, length).AsContiguous();
    }

    // Split-K of a backward-weight GEMM with C (OC, cols) over images: enough splits to fill about TargetGroups groups, never more than N.
    private static (int ImagesPerSplit, int Splits) SplitImages(in ConvGeometry g, int cols)
    {
        var tiles = GemmVariants<ConvBackwardWeightOperands>.Grid(g.OC, cols, 1).Size;
        var imagesPerSplit = (int)Math.Ceiling(g.N / (double)Math.Clamp(TargetGroups / tiles, 1, g.N));
        return (imagesPerSplit, (g.N + imagesPerSplit - 1) / imagesPerSplit);
    }

    // The loaders' index tables of `g`; building them uploads, which waits for the device (once per geometry).
    private ConvIndexViews Tables(ConvGeometry g)
    {
        var views = _convTables.For(g, out var uploaded);
        if (uploaded)
        {
            _synchronizations++;
        }

        return views;
    }

    private static ConvGeometry Geometry(in Conv2dShape s)
    {
        s.Validate();
        return new ConvGeometry(s.N, s.C, s.H, s.W, s.OC, s.KH, s.KW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.OutH, s.OutW);
    }

    private static PoolGeometry Geometry(in Pool2dShape s)
    {
        s.Validate();
        return new PoolGeometry(s.H, s.W, s.KH, s.KW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.OutH, s.OutW);
    }

    private static int Count(int outer, int channels, int inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outer);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(inner);
        return checked(outer * channels * inner);
    }

    private static int Relu(Activation activation) => activation switch
    {
        Activation.Identity => 0,
        Activation.Relu => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    private static void RequireExactly(Tensor tensor, long length, string name)
    {
        tensor.Require(length, name);
        if (tensor.Length != length)
        {
            throw new ArgumentException($"Tensor '{name}' has {tensor.Length} elements but {length} are expected.", name);
        }
    }

    // Every member's view of a tensor (its first `required` elements) as ONE accelerator view over their extent, and the
    // member stride the kernel moves by (0 for one member or a view every member shares), after checking that each view
    // is long enough and that this backend owns the buffer.
    private (ArrayView<float> View, int Stride) View(Tensor tensor, long required, string name)
    {
        tensor.Require(required, name);
        var stride = tensor.Members == 1 ? 0 : tensor.MemberStride;
        var extent = ((long)(tensor.Members - 1) * stride) + required;
        return (tensor.OwnedBy<IlgpuBuffer>(this, name).Memory.View.SubView(tensor.Offset, extent).AsContiguous(), stride);
    }

    // Threads of a launch over `count` elements of each of `members` members.
    private static int Threads(int members, long count) => checked((int)(members * count));

    private static Tensor One(Tensor view, string name) => view.Members == 1
        ? view
        : throw new ArgumentException($"Tensor '{name}' has {view.Members} members; host transfers take one member's view.", name);

    // The conv forward operands of every member (the fused forward wraps them).
    private ConvForwardOperands ForwardOperands(in Conv2dShape shape, ConvGeometry g, ConvIndexViews tables, Tensor input, Tensor weight, Tensor output)
    {
        var (x, xStride) = View(input, shape.InputSize, nameof(input));
        var (w, wStride) = View(weight, shape.WeightSize, nameof(weight));
        var (y, yStride) = View(output, shape.OutputSize, nameof(output));
        return new ConvForwardOperands(g, tables.OutputPixels, tables.Patches, x, w, y, xStride, wStride, yStride);
    }

    private ArrayView1D<float, Stride1D.Dense> Dense(Tensor tensor, long required, string name)
    {
        tensor.Require(required, name);
        return tensor.OwnedBy<IlgpuBuffer>(this, name).Memory.View.SubView(tensor.Offset, required);
    }
}
