namespace GpuTrainer.Compute;

/// <summary>
/// Everything a layer, loss or optimizer needs from a device. Two real implementations:
/// <c>IlgpuBackend</c> (our kernels on CUDA, OpenCL or ILGPU's CPU accelerator) and <c>CpuBackend</c>
/// (managed SIMD + threads), both checked against the plain float64 <c>ReferenceBackend</c> (Compute/Reference).
/// Compute/OPS.md maps each operation to its kernel, managed implementation, reference, tests and benchmark.
///
/// Conventions shared by every operation:
/// - Every operation runs for every member of a model group at once: its tensors carry K views (<see cref="Tensor.Members"/>,
///   K = 1 for a lone model; every non-empty tensor of a call has the same K, and a member stride of 0 shares one view,
///   like the input batch). Per member each operation means exactly what its summary says of one model, and no result of a
///   member depends on K or on the other members: a member of a group is bit for bit its lone run.
/// - Tensors are float32, row-major, NCHW for images; shapes come from the shape records and are those of one member.
/// - Outputs are OVERWRITTEN (gradients too: "dWeight =", never "+="), except <see cref="SoftmaxCrossEntropy"/>'s
///   <c>stats</c>, which accumulates so that an evaluation can sum many batches before one download.
/// - Operations are asynchronous on a GPU; <see cref="Download"/> and <see cref="Synchronize"/> wait.
/// - A view that is too short, or a buffer of another backend, throws <see cref="ArgumentException"/>.
/// </summary>
public partial interface IBackend : IDisposable
{
    /// <summary>Human-readable device name, e.g. "CUDA NVIDIA H200" or "CPU (managed, 2 threads)".</summary>
    string Name { get; }

    /// <summary>Which kind of device runs the operations.</summary>
    DeviceKind Kind { get; }

    /// <summary>Allocates a zero-filled buffer of <paramref name="length"/> floats.</summary>
    DeviceBuffer Allocate(int length);

    /// <summary>Copies host data into a one-member view; lengths must match.</summary>
    void Upload(ReadOnlySpan<float> source, Tensor destination);

    /// <summary>Copies a one-member view to the host, waiting for pending work; lengths must match.</summary>
    void Download(Tensor source, Span<float> destination);

    /// <summary>destination[i] = value.</summary>
    void Fill(Tensor destination, float value);

    /// <summary>destination = source; lengths must match.</summary>
    void Copy(Tensor source, Tensor destination);

    /// <summary>Waits until all queued work is done.</summary>
    void Synchronize();

    /// <summary>C = alpha * op(A) op(B) + beta * C, batched; see <see cref="GemmShape"/>. beta = 0 ignores C's old contents (even NaN).</summary>
    void Gemm(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /// <summary>output (N,OC,OH,OW) = conv(input (N,C,H,W), weight (OC,C,KH,KW)); no bias (see <see cref="BiasActivation"/>).</summary>
    void Conv2dForward(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output);

    /// <summary>dInput (N,C,H,W) = gradient of the forward pass w.r.t. its input, given dOutput (N,OC,OH,OW).</summary>
    void Conv2dBackwardData(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput);

    /// <summary>dWeight (OC,C,KH,KW) = gradient w.r.t. the weight, summed over the batch.</summary>
    void Conv2dBackwardWeight(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight);

    /// <summary>output (N,C,OH,OW) = max over each window of input (N,C,H,W).</summary>
    void MaxPoolForward(in Pool2dShape shape, Tensor input, Tensor output);

    /// <summary>
    /// dInput (N,C,H,W) = dOutput routed to the first maximal element (row-major order within the
    /// window) of each window; elements that win several overlapping windows receive the sum.
    /// </summary>
    void MaxPoolBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput);

    /// <summary>output (N,C,OH,OW) = mean over each window, padding counted as zeros.</summary>
    void AvgPoolForward(in Pool2dShape shape, Tensor input, Tensor output);

    /// <summary>dInput (N,C,H,W) = sum over the windows containing each element of dOutput / (KH*KW).</summary>
    void AvgPoolBackward(in Pool2dShape shape, Tensor dOutput, Tensor dInput);

    /// <summary>
    /// y[o,c,i] = act(x[o,c,i] + bias[c]) over a tensor viewed as (outer, channels, inner):
    /// (N,F,1) after a linear layer, (N,OC,OH*OW) after a convolution. An empty bias adds nothing.
    /// x and y may be the same view.
    /// </summary>
    void BiasActivation(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation);

    /// <summary>dx = dy * act'(y), where y is the activation's output. dx may alias dy.</summary>
    void ActivationBackward(Tensor y, Tensor dy, Tensor dx, int count, Activation activation);

    /// <summary>dBias[c] = sum over o and i of dy[o,c,i], with dy viewed as (outer, channels, inner).</summary>
    void BiasGradient(Tensor dy, Tensor dBias, int outer, int channels, int inner);

    /// <summary>
    /// Fused softmax + cross-entropy over logits (rows, classes) with integer-valued float labels (rows):
    /// dLogits = (softmax(logits) - onehot(label)) * gradScale;
    /// stats[0] += sum of -log softmax(logits)[label]; stats[1] += number of rows whose first arg-max equals the label.
    /// Labels outside [0, classes) are a caller error (checked when the data is loaded).
    /// </summary>
    void SoftmaxCrossEntropy(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats);

    /// <summary>
    /// Gathers a batch from a data set resident on this backend: for r in [0, count) and sample s = (int)indices[offset + r],
    /// imagesOut[r, :] = images[s, :] (imageLength floats each) and labelsOut[r] = labels[s]. The data set is images
    /// (samples, imageLength) and labels (samples); indices hold sample numbers as integer-valued floats (exact below 2^24).
    /// Indices outside [0, samples) are a caller error (the order comes from <c>BatchLoader</c>, a permutation).
    /// One member: the batch is what every member of a group shares.
    /// </summary>
    void GatherBatch(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut);

    /// <summary>
    /// One fused optimizer step over every element of each member's arena views (parameters, gradients and the two state
    /// arenas, equal lengths), member k as row k of <paramref name="table"/> says (<see cref="OptimizerTable"/>: SGD with
    /// state1 as its momentum buffer, Adam/AdamW with state1 as m and state2 as v, or skip for a masked member). The table
    /// is a device view, one member per row (<see cref="OptimizerTable.RowFloats"/> floats), so a step needs no upload.
    /// State arenas a member's kind does not use are never read (they may be any view of the right length).
    /// </summary>
    void OptimizerStep(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor table);
}
