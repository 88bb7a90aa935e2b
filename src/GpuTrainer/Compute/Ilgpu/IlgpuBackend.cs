using GpuTrainer.Kernels;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// Our ILGPU kernels (kernels/GpuTrainer.Kernels) on CUDA, an OpenCL GPU or ILGPU's CPU accelerator.
/// Every kernel is compiled once at construction into a delegate held here (ILGPU's own cache holds
/// only weak references); every operation validates its arguments, then queues exactly one launch on
/// the accelerator's default stream. Only <see cref="Download"/> and <see cref="Synchronize"/> wait.
/// The fused step operations are in IlgpuBackend.Fused.cs.
/// </summary>
public sealed partial class IlgpuBackend : MemberLoopBackend
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
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> _sumSlicePairs;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>> _maxPoolForward;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> _maxPoolBackward;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>> _avgPoolForward;
    private readonly Action<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>> _avgPoolBackward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int> _biasActivation;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> _activationBackward;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int> _biasGradient;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int> _sumSlices;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> _softmaxCrossEntropy;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerStrides> _optimizer;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _gather;
    private readonly Action<Index1D, ArrayView<float>, float> _fill;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>> _copy;

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
        _sumSlicePairs = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(
            SplitSumKernels.SumSlicePairsKernel);
        _maxPoolForward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>>(PoolingKernels.MaxForwardKernel);
        _maxPoolBackward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(
            PoolingKernels.MaxBackwardKernel);
        _avgPoolForward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>>(PoolingKernels.AvgForwardKernel);
        _avgPoolBackward = a.LoadAutoGroupedStreamKernel<Index1D, PoolGeometry, ArrayView<float>, ArrayView<float>>(PoolingKernels.AvgBackwardKernel);
        _biasActivation = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(
            ActivationKernels.BiasActivationKernel);
        _activationBackward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(
            ActivationKernels.BackwardKernel);
        _biasGradient = a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int>(
            ReductionKernels.BiasGradientKernel, IlgpuKernelCatalog.SpecializationOf(((Delegate)ReductionKernels.BiasGradientKernel).Method));
        _sumSlices = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(ReductionKernels.SumSlicesKernel);
        _softmaxCrossEntropy = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(
            LossKernels.SoftmaxCrossEntropyKernel);
        _optimizer = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerStrides>(
            OptimizerKernels.StepKernel);
        _gather = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(
            GatherKernels.BatchKernel);
        _fill = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float>(MemoryKernels.FillKernel);
        _copy = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(MemoryKernels.CopyKernel);
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override DeviceKind Kind { get; }

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
    public override DeviceBuffer Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var memory = _accelerator.Allocate1D<float>(length);
        memory.MemSetToZero();
        return new IlgpuBuffer(this, memory);
    }

    /// <inheritdoc/>
    protected override void UploadMember(ReadOnlySpan<float> source, Tensor destination)
    {
        RequireExactly(destination, source.Length, nameof(destination));
        _synchronizations++;
        Dense(destination, source.Length, nameof(destination)).CopyFromCPU(_accelerator.DefaultStream, source);
    }

    /// <inheritdoc/>
    protected override void DownloadMember(Tensor source, Span<float> destination)
    {
        RequireExactly(source, destination.Length, nameof(source));
        // Waits for the queued work on the default stream, then copies.
        _synchronizations++;
        Dense(source, destination.Length, nameof(source)).CopyToCPU(_accelerator.DefaultStream, destination);
    }

    /// <inheritdoc/>
    protected override void FillMember(Tensor destination, float value)
    {
        var view = View(destination, destination.Length, nameof(destination));
        if (view.Length > 0)
        {
            _meter.Launch(_fill, view.IntLength, view, value);
        }
    }

    /// <inheritdoc/>
    protected override void CopyMember(Tensor source, Tensor destination)
    {
        RequireExactly(destination, source.Length, nameof(destination));
        var from = View(source, source.Length, nameof(source));
        var to = View(destination, source.Length, nameof(destination));
        if (from.Length > 0)
        {
            _meter.Launch(_copy, from.IntLength, from, to);
        }
    }

    /// <summary>
    /// destination = source through the driver's own device-to-device copy (cuMemcpy and the like) instead of our
    /// copy kernel; for measuring one against the other (gpubench). Lengths must match.
    /// </summary>
    public void DriverCopy(Tensor source, Tensor destination)
    {
        RequireExactly(destination, source.Length, nameof(destination));
        View(source, source.Length, nameof(source)).CopyTo(_accelerator.DefaultStream, View(destination, source.Length, nameof(destination)));
    }

    /// <inheritdoc/>
    public override void Synchronize()
    {
        _synchronizations++;
        _accelerator.Synchronize();
    }

    /// <inheritdoc/>
    protected override void GemmMember(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        shape.Validate();
        var operands = new GemmOperands(
            View(a, shape.ASize, nameof(a)), View(b, shape.BSize, nameof(b)), View(c, shape.CSize, nameof(c)),
            shape.M, shape.N, shape.K, shape.TransA, shape.TransB, shape.StrideA, shape.StrideB, shape.StrideC, alpha, beta);
        _gemm.Launch(operands, shape.Batch);
    }

    /// <inheritdoc/>
    protected override void Conv2dForwardMember(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output)
    {
        var g = Geometry(shape);
        var tables = Tables(g);
        var operands = new ConvForwardOperands(
            g, tables.OutputPixels, tables.Patches,
            View(input, shape.InputSize, nameof(input)), View(weight, shape.WeightSize, nameof(weight)), View(output, shape.OutputSize, nameof(output)));
        _convForward.Launch(operands, 1);
    }

    /// <inheritdoc/>
    protected override void Conv2dBackwardDataMember(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput)
    {
        var g = Geometry(shape);
        var tables = Tables(g);
        ArrayView<float> dy = View(dOutput, shape.OutputSize, nameof(dOutput)), w = View(weight, shape.WeightSize, nameof(weight));
        var dx = View(dInput, shape.InputSize, nameof(dInput));
        if (g.SH == 1 && g.SW == 1)
        {
            _convBackwardDataStride1.Launch(new ConvBackwardDataStride1Operands(g, tables.InputPixels, tables.FlippedTaps, dy, w, dx), 1);
        }
        else
        {
            _convBackwardData.Launch(new ConvBackwardDataOperands(g, dy, w, dx), 1);
        }
    }

    /// <inheritdoc/>
    protected override void Conv2dBackwardWeightMember(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight)
    {
        var g = Geometry(shape);
        var x = View(input, shape.InputSize, nameof(input));
        var dy = View(dOutput, shape.OutputSize, nameof(dOutput));
        var dw = View(dWeight, shape.WeightSize, nameof(dWeight));

        var (imagesPerSplit, splits) = SplitImages(g, g.Patch);
        var partials = splits == 1 ? dw : Scratch((long)splits * shape.WeightSize);
        var tables = Tables(g);
        var operands = new ConvBackwardWeightOperands(g, imagesPerSplit, tables.OutputPixels, tables.Patches, x, dy, partials);
        _convBackwardWeight.Launch(operands, splits);
        if (splits > 1)
        {
            _meter.Launch(_sumSlices, shape.WeightSize, partials, dw, splits);
        }
    }

    /// <inheritdoc/>
    protected override void MaxPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var g = Geometry(shape);
        var x = View(input, shape.InputSize, nameof(input));
        _meter.Launch(_maxPoolForward, shape.OutputSize, g, x, View(output, shape.OutputSize, nameof(output)));
    }

    /// <inheritdoc/>
    protected override void MaxPoolBackwardMember(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput)
    {
        var g = Geometry(shape);
        var x = View(input, shape.InputSize, nameof(input));
        var dy = View(dOutput, shape.OutputSize, nameof(dOutput));
        _meter.Launch(_maxPoolBackward, shape.InputSize, g, x, dy, View(dInput, shape.InputSize, nameof(dInput)), 0);
    }

    /// <inheritdoc/>
    protected override void AvgPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output)
    {
        var g = Geometry(shape);
        var x = View(input, shape.InputSize, nameof(input));
        _meter.Launch(_avgPoolForward, shape.OutputSize, g, x, View(output, shape.OutputSize, nameof(output)));
    }

    /// <inheritdoc/>
    protected override void AvgPoolBackwardMember(in Pool2dShape shape, Tensor dOutput, Tensor dInput)
    {
        var g = Geometry(shape);
        var dy = View(dOutput, shape.OutputSize, nameof(dOutput));
        _meter.Launch(_avgPoolBackward, shape.InputSize, g, dy, View(dInput, shape.InputSize, nameof(dInput)));
    }

    /// <inheritdoc/>
    protected override void BiasActivationMember(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation)
    {
        var count = Count(outer, channels, inner);
        var xv = View(x, count, nameof(x));
        var yv = View(y, count, nameof(y));
        // Without a bias the kernel never reads its bias view; x stands in (empty views break OpenCL launches).
        var bv = bias.IsEmpty ? xv : View(bias, channels, nameof(bias));
        if (count > 0)
        {
            _meter.Launch(_biasActivation, count, xv, bv, yv, channels, inner, bias.IsEmpty ? 0 : 1, Relu(activation));
        }
    }

    /// <inheritdoc/>
    protected override void ActivationBackwardMember(Tensor y, Tensor dy, Tensor dx, int count, Activation activation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var yv = View(y, count, nameof(y));
        var dyv = View(dy, count, nameof(dy));
        var dxv = View(dx, count, nameof(dx));
        if (count > 0)
        {
            _meter.Launch(_activationBackward, count, yv, dyv, dxv, Relu(activation));
        }
    }

    /// <inheritdoc/>
    protected override void BiasGradientMember(Tensor dy, Tensor dBias, int outer, int channels, int inner)
    {
        var dyv = View(dy, Count(outer, channels, inner), nameof(dy));
        var db = View(dBias, channels, nameof(dBias));
        if (channels > 0)
        {
            // Slices per channel: about TargetGroups groups in all, each with at least 4 elements per thread.
            var elements = (long)outer * inner;
            var slices = (int)Math.Clamp(Math.Min((TargetGroups + channels - 1) / channels, (elements + 4 * ReductionKernels.GroupSize - 1) / (4 * ReductionKernels.GroupSize)), 1, TargetGroups);
            var partials = slices == 1 ? db : Scratch((long)channels * slices);
            _meter.Launch(_biasGradient, new KernelConfig(new Index2D(slices, channels), new Index2D(ReductionKernels.GroupSize, 1)), dyv, db, partials, Arrivals(channels), outer, inner);
        }
    }

    /// <inheritdoc/>
    protected override void SoftmaxCrossEntropyMember(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var size = (long)rows * classes;
        var lv = View(logits, size, nameof(logits));
        var labelView = View(labels, rows, nameof(labels));
        var dv = View(dLogits, size, nameof(dLogits));
        _meter.Launch(_softmaxCrossEntropy, rows, lv, labelView, dv, View(stats, 2, nameof(stats)), classes, gradScale);
    }

    /// <inheritdoc/>
    protected override void GatherBatchMember(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut)
    {
        var samples = labels.Length;
        var size = (long)count * imageLength;
        _meter.Launch(_gather,
            checked((int)size), View(images, images.Length, nameof(images)), View(labels, samples, nameof(labels)),
            View(indices, (long)offset + count, nameof(indices)), View(imagesOut, size, nameof(imagesOut)), View(labelsOut, count, nameof(labelsOut)),
            offset, imageLength);
    }

    /// <inheritdoc/>
    protected override void OptimizerStepMember(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor row)
    {
        var count = parameters.Length;
        var strides = new OptimizerStrides(count, 0, 0, 0, 0, 0);
        _meter.Launch(
            _optimizer, count, View(parameters, count, nameof(parameters)), View(gradients, count, nameof(gradients)), View(state1, count, nameof(state1)),
            View(state2, count, nameof(state2)), View(row, OptimizerTable.RowFloats, nameof(row)), strides);
    }

    public override void Dispose()
    {
        _scratch?.Dispose();
        _arrivals?.Dispose();
        _convTables.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }

    // Zeroed per-channel arrival counters of the bias gradient (each launch leaves them 0).
    private ArrayView<int> Arrivals(int channels) => Grown(ref _arrivals, channels);

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

    // The first `required` elements of a tensor as an accelerator view, after checking that the
    // tensor is long enough and that this backend owns it.
    private ArrayView<float> View(Tensor tensor, long required, string name) => Dense(tensor, required, name).AsContiguous();

    private ArrayView1D<float, Stride1D.Dense> Dense(Tensor tensor, long required, string name)
    {
        tensor.Require(required, name);
        return tensor.OwnedBy<IlgpuBuffer>(this, name).Memory.View.SubView(tensor.Offset, required);
    }
}
