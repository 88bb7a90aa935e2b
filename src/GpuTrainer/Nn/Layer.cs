using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// One layer of a <see cref="Sequential"/> model. Forward and backward sit side by side in each
/// subclass and only call <see cref="IBackend"/> operations, so a layer never knows which device runs it.
///
/// Parameters live in the model's flat arena: <see cref="Bind"/> hands the layer its slices of the
/// parameter and gradient buffers (weights first, then bias, matching PyTorch's parameters() order).
/// Accumulation rule: Backward OVERWRITES this layer's gradient slice and <c>dx</c>.
/// </summary>
public abstract partial class Layer
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

    /// <summary>This layer's slice of the parameter arena.</summary>
    protected Tensor Parameters => _parameters;

    /// <summary>This layer's slice of the gradient arena.</summary>
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

    /// <summary>y (batch, OutputShape) = f(x (batch, InputShape)).</summary>
    public abstract void Forward(IBackend backend, Tensor x, Tensor y, int batch);

    /// <summary>
    /// Given x, y from the forward pass and dy, writes this layer's parameter gradients and, unless
    /// <paramref name="dx"/> is empty (the first layer), dx. dy may be overwritten (used as scratch).
    /// </summary>
    public abstract void Backward(IBackend backend, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch);

    /// <summary>Fills a slice with U(-bound, bound), PyTorch's default for Conv2d and Linear weights and biases (bound = 1/sqrt(fan_in)).</summary>
    protected static void FillUniform(Span<float> values, double bound, Random random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }
    }
}
