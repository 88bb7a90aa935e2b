using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// One layer of a <see cref="Model"/>. Forward and backward sit side by side in each subclass and only call
/// <see cref="IBackend"/> operations, so a layer never knows which device runs it, nor how many members the model has:
/// every tensor it passes carries all K members (x, y: (K, batch, shape); its parameters: K slices of the arena).
///
/// Parameters live in the model's flat arena: <see cref="Bind"/> hands the layer its slices of the
/// parameter and gradient buffers (weights first, then bias, matching PyTorch's parameters() order), one per member.
/// Accumulation rule: Backward OVERWRITES this layer's gradient slice and <c>dx</c>.
///
/// Activation backward fusion: when a layer's output is an activation's (<see cref="OutputActivation"/>) and the layer
/// that consumes it can fold that activation's backward into its own dx (<see cref="FoldsInputActivation"/>: Linear's
/// GEMM epilogue, MaxPool2d's backward), <see cref="Model"/> sets the consumer's <see cref="InputActivation"/> and
/// the producer's <see cref="ActivationFoldedDownstream"/>: the dy the producer receives is then already dL/d(pre-activation).
/// </summary>
public abstract class Layer
{
    private Tensor _parameters;
    private Tensor _gradients;

    /// <summary>The per-sample shape this layer consumes.</summary>
    public SampleShape InputShape { get; private set; }

    /// <summary>The per-sample shape this layer produces.</summary>
    public SampleShape OutputShape { get; private set; }

    /// <summary>Number of trainable floats in this layer (0 for layers without parameters).</summary>
    public virtual int ParameterCount => 0;

    /// <summary>True when the output is the input itself (Flatten): the model allocates no activation for it.</summary>
    public virtual bool AliasesInput => false;

    /// <summary>The activation this layer's output comes out of (Identity when none is fused in).</summary>
    public virtual Activation OutputActivation => Activation.Identity;

    /// <summary>True when Backward can apply <see cref="InputActivation"/>'s backward to dx within its own launches.</summary>
    public virtual bool FoldsInputActivation => false;

    /// <summary>The activation whose output is this layer's input and whose backward this layer applies to dx (set by the model).</summary>
    public Activation InputActivation { get; internal set; }

    /// <summary>True when the next layer applies this layer's activation backward (set by the model): Backward skips it.</summary>
    public bool ActivationFoldedDownstream { get; internal set; }

    /// <summary>This layer's slice of every member's parameter arena.</summary>
    protected Tensor Parameters => _parameters;

    /// <summary>This layer's slice of every member's gradient arena.</summary>
    protected Tensor Gradients => _gradients;

    /// <summary>Fixes the input shape and returns the output shape; throws when the input does not fit.</summary>
    internal SampleShape Connect(SampleShape input)
    {
        InputShape = input;
        OutputShape = ComputeOutputShape(input);
        return OutputShape;
    }

    internal void Bind(Tensor parameters, Tensor gradients)
    {
        _parameters = parameters;
        _gradients = gradients;
    }

    /// <summary>Fills <paramref name="parameters"/> (this layer's slice, on the host) with PyTorch's default initialisation.</summary>
    public virtual void Initialize(Span<float> parameters, Random random)
    {
    }

    protected abstract SampleShape ComputeOutputShape(SampleShape input);

    /// <summary>y (K, batch, OutputShape) = f(x (K, batch, InputShape)), member by member (x may be shared: stride 0).</summary>
    public abstract void Forward(IBackend backend, Tensor x, Tensor y, int batch);

    /// <summary>
    /// Given x, y from the forward pass and dy, writes this layer's parameter gradients and, unless
    /// <paramref name="dx"/> is empty (the first layer), dx, for every member. dy may be overwritten (used as scratch).
    /// </summary>
    public abstract void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch);

    /// <summary>The initial parameter arena of <paramref name="layers"/> (in order) from a seed: PyTorch's default initialisation.</summary>
    internal static float[] InitialParameters(IReadOnlyList<Layer> layers, int seed)
    {
        var random = new Random(seed);
        var values = new float[layers.Sum(l => l.ParameterCount)];
        var offset = 0;
        foreach (var layer in layers)
        {
            layer.Initialize(values.AsSpan(offset, layer.ParameterCount), random);
            offset += layer.ParameterCount;
        }

        return values;
    }

    /// <summary>Fills a slice with U(-bound, bound), PyTorch's default for Conv2d and Linear weights and biases (bound = 1/sqrt(fan_in)).</summary>
    protected static void FillUniform(Span<float> values, double bound, Random random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }
    }
}
