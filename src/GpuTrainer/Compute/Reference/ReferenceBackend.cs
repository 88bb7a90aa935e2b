namespace GpuTrainer.Compute.Reference;

/// <summary>
/// The ONE plain reference implementation of <see cref="IBackend"/>: the yardstick the tests check both real
/// backends against, the benchmarks' baseline, and what <c>selftest</c> compares a device with.
///
/// Written for clarity, never for speed: one thread, one loop nest per formula, every sum accumulated in
/// float64, and buffers that hold doubles (inputs arrive as float32 and are exact in double; only
/// <see cref="Download"/> rounds back to float32, and <see cref="Read"/> returns the doubles themselves).
/// It uses nothing of the fast backends: only the shapes, views and hyperparameters of Compute.
///
/// One file per op family, the forward beside its gradient (as karpathy/llm.c's CPU reference lays them out):
///   ReferenceBackend.cs             this surface: buffers, transfers, fill/copy, view checks
///   ReferenceBackend.Gemm.cs        Gemm
///   ReferenceBackend.Conv2d.cs      Conv2dForward, Conv2dBackwardData, Conv2dBackwardWeight
///   ReferenceBackend.Pooling.cs     MaxPoolForward/Backward, AvgPoolForward/Backward
///   ReferenceBackend.Activations.cs BiasActivation, ActivationBackward, BiasGradient
///   ReferenceBackend.Loss.cs        SoftmaxCrossEntropy
///   ReferenceBackend.Optimizers.cs  OptimizerStep (SGD, Adam/AdamW)
/// Each file holds one-member operations (<see cref="MemberLoopBackend"/> runs them for every member).
/// A new <see cref="IBackend"/> operation is one method in its family's file (or a new file for a new family),
/// and one row in Compute/OPS.md.
///
/// Accumulation rule (that of <see cref="IBackend"/>): outputs are overwritten ("dWeight =", never "+="),
/// except SoftmaxCrossEntropy's stats, which accumulate.
/// </summary>
public sealed partial class ReferenceBackend : MemberLoopBackend
{
    /// <inheritdoc/>
    public override string Name => "reference (float64, 1 thread)";

    /// <inheritdoc/>
    public override DeviceKind Kind => DeviceKind.Cpu;

    /// <inheritdoc/>
    public override DeviceBuffer Allocate(int length) => new ReferenceBuffer(this, length);

    /// <inheritdoc/>
    protected override void UploadMember(ReadOnlySpan<float> source, Tensor destination)
    {
        var target = Exactly(destination, source.Length, nameof(destination));
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = source[i];
        }
    }

    /// <summary>Copies a view to the host, each double rounded to the nearest float32; lengths must match.</summary>
    protected override void DownloadMember(Tensor source, Span<float> destination)
    {
        var values = Exactly(source, destination.Length, nameof(source));
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = (float)values[i];
        }
    }

    /// <summary>The exact float64 contents of a view (what <see cref="Download"/> would round).</summary>
    public double[] Read(Tensor source) => View(source, source.Length, nameof(source)).ToArray();

    /// <inheritdoc/>
    protected override void FillMember(Tensor destination, float value) => View(destination, destination.Length, nameof(destination)).Fill(value);

    /// <inheritdoc/>
    protected override void CopyMember(Tensor source, Tensor destination) =>
        View(source, source.Length, nameof(source)).CopyTo(Exactly(destination, source.Length, nameof(destination)));

    /// <summary>Nothing to wait for: every operation has finished when it returns.</summary>
    public override void Synchronize()
    {
    }

    /// <summary>Nothing to release: each <see cref="ReferenceBuffer"/> is a managed array.</summary>
    public override void Dispose()
    {
    }

    // The first `required` elements of a view of this backend; a short view or another backend's buffer throws.
    private Span<double> View(Tensor view, long required, string name)
    {
        view.Require(required, name);
        return view.OwnedBy<ReferenceBuffer>(this, name).Span(view)[..(int)required];
    }

    // A view that must hold exactly `length` elements (transfers, copies, optimizer arenas).
    private Span<double> Exactly(Tensor view, int length, string name)
    {
        if (view.Length != length)
        {
            throw new ArgumentException($"Tensor '{name}' has {view.Length} elements but {length} are expected.", name);
        }

        return View(view, length, name);
    }
}
